using Micromastery.Hub.Infrastructure;
using Microsoft.Extensions.Options;

namespace Micromastery.Hub.Stack;

/// <summary>
/// Holds the user's stack: loads the stack file, watches it, and keeps the last good stack when an
/// edit is invalid, so a typo never takes the running hub down. The last good stack is also recorded
/// in the data folder, so a hub started on a broken file still runs the stack it ran before.
/// </summary>
public sealed partial class StackStore : IHostedService, IDisposable
{
    private readonly StackFileParser _parser;
    private readonly ILogger<StackStore> _logger;
    private readonly string _path;
    private readonly string _lastGoodPath;
    private readonly Lock _gate = new();
    private FileSystemWatcher? _watcher;
    private Timer? _debounce;

    public StackStore(StackFileParser parser, IOptions<StackOptions> options, IOptions<StorageOptions> storage, IHostEnvironment environment, ILogger<StackStore> logger)
    {
        _parser = parser;
        _logger = logger;
        _path = System.IO.Path.GetFullPath(options.Value.Path, environment.ContentRootPath);
        _lastGoodPath = System.IO.Path.Combine(System.IO.Path.GetFullPath(storage.Value.DataDirectory, environment.ContentRootPath), LastGoodFileName);
    }

    /// <summary>The copy of the last stack file that loaded, in the data folder.</summary>
    public const string LastGoodFileName = "stack.last-good.yml";

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

        var recorded = LastGoodStack.Read(_lastGoodPath, _path, _parser);
        if (recorded is not null)
        {
            // In effect until the file loads, so a broken or half-written file at start-up keeps what ran before.
            Current = recorded;
        }

        if (Reload().Count > 0)
        {
            if (recorded is not null)
            {
                LogStartedWithLastGood(_path, _lastGoodPath, recorded.Micromasteries.Count);
            }
            else
            {
                LogStartedEmpty(_path);
            }
        }

        _watcher = new FileSystemWatcher(System.IO.Path.GetDirectoryName(_path)!, System.IO.Path.GetFileName(_path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _debounce = new Timer(_ => ReloadOnChange());
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
            if (Read() is not { } text)
            {
                return Errors;
            }

            if (string.IsNullOrWhiteSpace(text) && Current.Micromasteries.Count > 0)
            {
                // Editors truncate before they write: an empty file is far likelier a save in progress than an intent.
                return Reject([new StackFileError(1, 1, "the stack file is empty, as if a save were half-done; write 'micromasteries: []' for an empty stack")]);
            }

            var result = _parser.Parse(text);
            if (!result.IsValid)
            {
                return Reject(result.Errors);
            }

            Errors = [];
            Current = result.Stack!;
            LogLoaded(_path, Current.Micromasteries.Count);
            if (!LastGoodStack.TryWrite(_lastGoodPath, _path, text, out var problem))
            {
                LogLastGoodNotRecorded(_lastGoodPath, problem);
            }
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

    private void ReloadOnChange()
    {
        try
        {
            Reload();
        }
        catch (Exception ex)
        {
            // A timer callback that throws ends the process; the stack in effect stays.
            LogChangedHandlerFailed(ex);
        }
    }

    /// <summary>The file's text, or null (with <see cref="Errors"/> set) when it cannot or must not be read.</summary>
    private string? Read()
    {
        try
        {
            var length = new FileInfo(_path).Length;
            if (length > StackFileLimits.MaxBytes)
            {
                Reject([new StackFileError(1, 1, $"the stack file is {length / 1024} KiB; the limit is {StackFileLimits.MaxBytes / 1024} KiB (a stack is a few kilobytes)")]);
                return null;
            }

            return File.ReadAllText(_path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Errors = [new StackFileError(0, 0, $"cannot read {_path}: {ex.Message}")];
            LogUnreadable(_path, ex.Message);
            return null;
        }
    }

    private IReadOnlyList<StackFileError> Reject(IReadOnlyList<StackFileError> errors)
    {
        Errors = errors;
        foreach (var error in errors)
        {
            LogInvalid(_path, error.Line, error.Column, error.Message);
        }

        return errors;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stack file {Path} is invalid: started with the last good stack recorded in {LastGood} ({Count} micromasteries)")]
    private partial void LogStartedWithLastGood(string path, string lastGood, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stack file {Path} is invalid and no good stack was recorded before: started with an empty stack")]
    private partial void LogStartedEmpty(string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the last good stack in {LastGood}: {Problem}")]
    private partial void LogLastGoodNotRecorded(string lastGood, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot read stack file {Path}: {Problem} (keeping the last good stack)")]
    private partial void LogUnreadable(string path, string problem);
}
