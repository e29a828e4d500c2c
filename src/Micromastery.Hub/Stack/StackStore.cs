using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Stack;

/// <summary>
/// Holds the user's stack: loads the stack file, watches it, and keeps the last good stack when an
/// edit is invalid, so a typo never takes the running hub down.
/// </summary>
public sealed partial class StackStore : IHostedService, IDisposable
{
    private readonly StackFileParser _parser;
    private readonly ILogger<StackStore> _logger;
    private readonly string _path;
    private readonly Lock _gate = new();
    private FileSystemWatcher? _watcher;
    private Timer? _debounce;

    public StackStore(StackFileParser parser, IOptions<StackOptions> options, IHostEnvironment environment, ILogger<StackStore> logger)
    {
        _parser = parser;
        _logger = logger;
        _path = System.IO.Path.GetFullPath(options.Value.Path, environment.ContentRootPath);
    }

    public string Path => _path;

    /// <summary>The last valid stack (empty until the first valid load).</summary>
    public StackDefinition Current { get; private set; } = StackDefinition.Empty;

    /// <summary>Errors of the newest version of the file, when it is invalid; empty when it loaded.</summary>
    public IReadOnlyList<StackFileError> Errors { get; private set; } = [];

    /// <summary>Raised after a new valid stack replaced the old one.</summary>
    public event Action<StackDefinition>? Changed;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(_path))
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(_path)!);
            File.WriteAllText(_path, StarterStack.Text(DateOnly.FromDateTime(DateTime.UtcNow)));
            LogStarterWritten(_path);
        }

        Reload();
        _watcher = new FileSystemWatcher(System.IO.Path.GetDirectoryName(_path)!, System.IO.Path.GetFileName(_path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _debounce = new Timer(_ => Reload());
        FileSystemEventHandler onChange = (_, _) => _debounce.Change(TimeSpan.FromMilliseconds(200), Timeout.InfiniteTimeSpan);
        _watcher.Changed += onChange;
        _watcher.Created += onChange;
        _watcher.Renamed += (_, _) => _debounce.Change(TimeSpan.FromMilliseconds(200), Timeout.InfiniteTimeSpan);
        _watcher.EnableRaisingEvents = true;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _watcher?.Dispose();
        _watcher = null;
        return Task.CompletedTask;
    }

    /// <summary>Reads the file now; returns its errors (empty when the new stack is in effect).</summary>
    public IReadOnlyList<StackFileError> Reload()
    {
        lock (_gate)
        {
            string text;
            try
            {
                text = File.ReadAllText(_path);
            }
            catch (IOException ex)
            {
                Errors = [new StackFileError(0, 0, $"cannot read {_path}: {ex.Message}")];
                LogUnreadable(_path, ex.Message);
                return Errors;
            }

            var result = _parser.Parse(text);
            if (!result.IsValid)
            {
                Errors = result.Errors;
                foreach (var error in result.Errors)
                {
                    LogInvalid(_path, error.Line, error.Column, error.Message);
                }

                return Errors;
            }

            Errors = [];
            Current = result.Stack!;
            LogLoaded(_path, Current.Micromasteries.Count);
        }

        try
        {
            Changed?.Invoke(Current);
        }
        catch (Exception ex)
        {
            // Reload runs on a timer thread when the file changes: an exception escaping it would end the process.
            LogChangedHandlerFailed(ex);
        }

        return [];
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _debounce?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No stack file at {Path}: wrote a starter stack there")]
    private partial void LogStarterWritten(string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded stack file {Path}: {Count} micromasteries")]
    private partial void LogLoaded(string path, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stack file {Path}:{Line}:{Column}: {Problem} (keeping the last good stack)")]
    private partial void LogInvalid(string path, int line, int column, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "A handler of the new stack failed (the stack itself is in effect)")]
    private partial void LogChangedHandlerFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot read stack file {Path}: {Problem} (keeping the last good stack)")]
    private partial void LogUnreadable(string path, string problem);
}
