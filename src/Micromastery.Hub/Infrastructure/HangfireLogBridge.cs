using System.Collections.Concurrent;
using Hangfire.Logging;
using HangfireLevel = Hangfire.Logging.LogLevel;

namespace Micromastery.Hub.Infrastructure;

/// <summary>
/// Hangfire's log provider is process-wide and its classes keep loggers in static fields, so tying it
/// to one host's ILoggerFactory breaks every later host in the process once that factory is disposed
/// (several hubs in one test run, or a host restarted in-process). This bridge always writes to the
/// newest host's factory and drops messages while none is alive.
/// </summary>
internal sealed class HangfireLogBridge : ILogProvider
{
    public static readonly HangfireLogBridge Instance = new();

    private volatile ILoggerFactory? _factory;

    public void Attach(ILoggerFactory factory) => _factory = factory;

    public ILog GetLogger(string name) => new Logger(this, name);

    private sealed class Logger(HangfireLogBridge bridge, string name) : ILog
    {
        private readonly ConcurrentDictionary<ILoggerFactory, ILogger> _loggers = new();

        public bool Log(HangfireLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            if (bridge._factory is not { } factory)
            {
                return false;
            }

            try
            {
                var logger = _loggers.GetOrAdd(factory, f => f.CreateLogger(name));
                var level = logLevel switch
                {
                    HangfireLevel.Trace => Microsoft.Extensions.Logging.LogLevel.Trace,
                    HangfireLevel.Debug => Microsoft.Extensions.Logging.LogLevel.Debug,
                    HangfireLevel.Info => Microsoft.Extensions.Logging.LogLevel.Information,
                    HangfireLevel.Warn => Microsoft.Extensions.Logging.LogLevel.Warning,
                    HangfireLevel.Error => Microsoft.Extensions.Logging.LogLevel.Error,
                    _ => Microsoft.Extensions.Logging.LogLevel.Critical,
                };
                if (messageFunc is null)
                {
                    return logger.IsEnabled(level);
                }

#pragma warning disable CA2254 // Hangfire hands over finished messages, not templates.
                logger.Log(level, exception, messageFunc());
#pragma warning restore CA2254
                return true;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
