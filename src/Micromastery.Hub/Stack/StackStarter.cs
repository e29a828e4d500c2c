using System.Globalization;
using Micromastery.Hub.Payoffs;

namespace Micromastery.Hub.Stack;

/// <summary>What the owner asks for when starting a staple: the form and <c>POST /api/micromasteries</c> say the same.</summary>
/// <param name="Parameters">Values for the main check's parameters (e.g. <c>repo</c>), by name.</param>
public sealed record StartRequest(string? Staple, string? Started = null, bool Public = false, IReadOnlyDictionary<string, string>? Parameters = null);

/// <summary>The answer to a <see cref="StartRequest"/>.</summary>
public abstract record StartResult
{
    private StartResult()
    {
    }

    /// <summary>Added to the stack file and in effect.</summary>
    public sealed record Started(string Slug) : StartResult;

    /// <summary>The stack already has a micromastery with this slug; nothing was written.</summary>
    public sealed record AlreadyThere(string Slug) : StartResult;

    /// <summary>A field of the request is wrong (<c>staple</c>, <c>started</c>, <c>parameters.repo</c> …); nothing was written.</summary>
    public sealed record Invalid(string Field, string Message) : StartResult;

    /// <summary>The stack file has errors of its own: the owner fixes those first; nothing was written.</summary>
    public sealed record FileHasErrors(string Path, IReadOnlyList<StackFileError> Errors) : StartResult;
}

/// <summary>
/// Starts a catalog staple: appends its block to the stack file (the user's comments and layout stay as
/// they are), checks the whole file still parses before writing, and reloads it. The one place both the
/// catalog page and the JSON API call.
/// </summary>
public sealed partial class StackStarter(StackStore store, StackFileParser parser, CheckTypeRegistry registry, TimeProvider clock, ILogger<StackStarter> logger)
{
    // Two starts at once would both read the old file and one block would be lost.
    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>The check a started staple gets: its first suggested check this hub can run, else manual evidence.</summary>
    public SuggestedCheck MainCheckOf(Staple staple) =>
        staple.Checks.FirstOrDefault(c => registry.Find(c.Type) is not null) ?? SuggestedCheck.Of(CheckTypes.Manual);

    /// <summary>The parameters of the main check the owner may fill in (required ones first).</summary>
    public IReadOnlyList<CheckParameter> ParametersOf(Staple staple) =>
        registry.Find(MainCheckOf(staple).Type) is { } type ? [.. type.Parameters.Where(p => p.Required)] : [];

    public async Task<StartResult> StartAsync(StartRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Staple))
        {
            return new StartResult.Invalid("staple", "give the id of a catalog staple, e.g. \"stripe-payment-link\"");
        }

        if (Catalog.Find(request.Staple.Trim()) is not { } staple)
        {
            return new StartResult.Invalid("staple", $"unknown staple '{request.Staple}'; /catalog lists them");
        }

        DateOnly? started = null;
        if (!string.IsNullOrWhiteSpace(request.Started))
        {
            if (!DateOnly.TryParseExact(request.Started.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return new StartResult.Invalid("started", $"'{request.Started}' is not a date written YYYY-MM-DD");
            }

            started = date;
        }

        var check = MainCheckOf(staple);
        var values = new List<(string Name, string Value)>();
        foreach (var parameter in ParametersOf(staple))
        {
            var value = request.Parameters?.GetValueOrDefault(parameter.Name)?.Trim();
            if (string.IsNullOrEmpty(value))
            {
                return new StartResult.Invalid($"parameters.{parameter.Name}", $"{check.Type} needs '{parameter.Name}': {parameter.Description}");
            }

            var problem = value.Any(char.IsControl) ? "one line of text" : parameter.Validate?.Invoke(value);
            if (problem is not null)
            {
                return new StartResult.Invalid($"parameters.{parameter.Name}", $"'{parameter.Name}': {problem}");
            }

            values.Add((parameter.Name, value));
        }

        await Gate.WaitAsync(cancellationToken);
        try
        {
            // The file as it is now, not as last loaded: the owner may have saved an edit a moment ago.
            if (store.Reload() is { Count: > 0 } errors)
            {
                return new StartResult.FileHasErrors(store.Path, errors);
            }

            var stack = store.Current;
            if (stack.Find(staple.Id) is not null)
            {
                return new StartResult.AlreadyThere(staple.Id);
            }

            var day = started ?? DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), stack.TimeZone).DateTime);
            var text = await File.ReadAllTextAsync(store.Path, cancellationToken);
            var updated = StackFileAppender.Append(text, StackFileAppender.Block(staple, check.Type, values, day, request.Public));
            var result = parser.Parse(updated);
            if (!result.IsValid)
            {
                // Only the new block can be wrong (the file parsed a moment ago): say what the parser said of it.
                var error = result.Errors[0];
                return error.Message.Contains("start", StringComparison.OrdinalIgnoreCase)
                    ? new StartResult.Invalid("started", error.Message)
                    : new StartResult.Invalid("staple", error.Message);
            }

            // Written beside and moved over, so the watcher never reloads a half-written file.
            var temporary = store.Path + ".starting";
            await File.WriteAllTextAsync(temporary, updated, cancellationToken);
            File.Move(temporary, store.Path, overwrite: true);
            if (store.Reload() is { Count: > 0 } after)
            {
                return new StartResult.FileHasErrors(store.Path, after);
            }

            LogStarted(staple.Id, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            return new StartResult.Started(staple.Id);
        }
        finally
        {
            Gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Started {Staple} from the catalog (started {Started}); appended to the stack file")]
    private partial void LogStarted(string staple, string started);
}
