using System.Globalization;
using Micromastery.Hub.Payoffs;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Micromastery.Hub.Stack;

/// <summary>A problem in the stack file, at the line and column a text editor shows.</summary>
public sealed record StackFileError(int Line, int Column, string Message)
{
    public override string ToString() => $"{Line}:{Column}: {Message}";
}

public sealed record StackParseResult(StackDefinition? Stack, IReadOnlyList<StackFileError> Errors)
{
    public bool IsValid => Stack is not null && Errors.Count == 0;
}

/// <summary>
/// Reads the human-edited stack file. It walks the YAML node tree instead of deserialising into
/// classes so that every error points at the line that caused it, and reports all errors at once.
/// </summary>
public sealed partial class StackFileParser(CheckTypeRegistry checkTypes, TimeProvider? clock = null)
{
    /// <summary>How far ahead a start date may lie: further is a typo (9999-12-31), not a plan.</summary>
    public const int MaxDaysAhead = 366;

    /// <summary>Longest check id: it is stored with every piece of evidence and indexed.</summary>
    public const int MaxCheckIdLength = 80;

    /// <summary>Longest micromastery name: it heads emails, pages and case studies.</summary>
    public const int MaxNameLength = 200;

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    private static readonly string[] TopKeys = ["timeZone", "profile", "micromasteries"];
    private static readonly string[] EntryKeys = ["staple", "slug", "name", "layer", "started", "since", "timeZone", "reconfirm", "public", "checks"];
    private static readonly string[] CheckKeys = ["type", "id", "schedule"];

    /// <summary>Never throws: whatever the text, the answer is a stack or the errors that say where it went wrong.</summary>
    public StackParseResult Parse(string text)
    {
        try
        {
            return ParseChecked(text);
        }
        catch (YamlException ex)
        {
            return new StackParseResult(null, [new StackFileError((int)ex.Start.Line, (int)ex.Start.Column, ex.InnerException?.Message ?? ex.Message)]);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A parser bug must not end the hub: the file is reported invalid and the last good stack stays.
            return new StackParseResult(null, [new StackFileError(1, 1, $"the stack file could not be read: {ex.Message}")]);
        }
    }

    private StackParseResult ParseChecked(string text)
    {
        var errors = new List<StackFileError>();
        if (StackFileLimits.Check(text) is { } shape)
        {
            return new StackParseResult(null, [shape]);
        }

        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));

        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return new StackParseResult(StackDefinition.Empty, errors);
        }

        if (yaml.Documents[0].RootNode is not YamlMappingNode root)
        {
            errors.Add(At(yaml.Documents[0].RootNode, "the stack file must be a mapping with 'timeZone' and 'micromasteries'"));
            return new StackParseResult(null, errors);
        }

        RejectUnknownKeys(root, TopKeys, "top level", errors);
        var zone = TimeZoneInfo.Utc;
        if (Child(root, "timeZone") is { } zoneNode)
        {
            zone = ParseTimeZone(zoneNode, errors) ?? TimeZoneInfo.Utc;
        }

        var profile = Child(root, "profile") is { } profileNode ? ParseProfile(profileNode, errors) : null;
        var micromasteries = new List<Micromastery>();
        switch (Child(root, "micromasteries"))
        {
            case null:
                break;
            case YamlSequenceNode entries:
                foreach (var entry in entries)
                {
                    if (ParseEntry(entry, zone, errors) is { } m)
                    {
                        micromasteries.Add(m);
                    }
                }

                break;
            case var other:
                errors.Add(At(other, "'micromasteries' must be a list (each item starts with '- ')"));
                break;
        }

        foreach (var duplicate in micromasteries.GroupBy(m => m.Slug, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            errors.Add(new StackFileError(LineOf(duplicate.Last()), 1, $"slug '{duplicate.Key}' is used more than once; give each micromastery its own 'slug'"));
        }

        return errors.Count > 0
            ? new StackParseResult(null, errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToList())
            : new StackParseResult(new StackDefinition(zone, micromasteries) { Profile = profile }, errors);
    }

    private static int LineOf(Micromastery m) => m.Checks.Count > 0 ? m.Checks[0].Line : 1;

    private Micromastery? ParseEntry(YamlNode node, TimeZoneInfo defaultZone, List<StackFileError> errors)
    {
        if (node is not YamlMappingNode map)
        {
            errors.Add(At(node, "each micromastery must be a mapping, e.g. '- staple: stripe-payment-link'"));
            return null;
        }

        var before = errors.Count;
        RejectUnknownKeys(map, EntryKeys, "a micromastery", errors);

        Staple? staple = null;
        if (Scalar(map, "staple", errors) is { } stapleId)
        {
            staple = Catalog.Find(stapleId.Value);
            if (staple is null)
            {
                errors.Add(At(stapleId.Node, $"unknown staple '{stapleId.Value}'; see the catalog (GET /api/catalog) for the ids"));
            }
        }

        var slug = Scalar(map, "slug", errors);
        var name = Scalar(map, "name", errors);
        var layerText = Scalar(map, "layer", errors);

        if (staple is null && Child(map, "staple") is null)
        {
            if (slug is null) errors.Add(At(map, "a custom micromastery needs a 'slug' (or use 'staple: <catalog id>')"));
            if (name is null) errors.Add(At(map, "a custom micromastery needs a 'name'"));
            if (layerText is null) errors.Add(At(map, "a custom micromastery needs a 'layer': A, B, C, D, E or physical"));
        }

        if (name is { Value.Length: > MaxNameLength })
        {
            errors.Add(At(name.Node, $"'name' is {name.Value.Length} characters; at most {MaxNameLength}"));
        }

        if (slug is not null && !IsSlug(slug.Value))
        {
            errors.Add(At(slug.Node, $"slug '{slug.Value}' must be lower-case letters, digits and dashes"));
        }

        var layer = staple?.Layer ?? Layer.Physical;
        if (layerText is not null && !Layers.TryParse(layerText.Value, out layer))
        {
            errors.Add(At(layerText.Node, $"unknown layer '{layerText.Value}'; use A, B, C, D, E or physical"));
        }

        DateOnly started = default;
        if (Scalar(map, "started", errors) is not { } startedText)
        {
            errors.Add(At(map, "'started' is required: the first day of the 7-day plan, e.g. 2026-11-23"));
        }
        else if (!DateOnly.TryParseExact(startedText.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out started))
        {
            errors.Add(At(startedText.Node, $"'started' must be a date like 2026-11-23, not '{startedText.Value}'"));
        }
        else if (started > DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime).AddDays(MaxDaysAhead))
        {
            errors.Add(At(startedText.Node, $"'started' is {startedText.Value}, more than a year ahead; plans start within a year"));
        }
        else if (started.Year < 2000)
        {
            errors.Add(At(startedText.Node, $"'started' is {startedText.Value}; plans start in the year 2000 or later"));
        }

        var since = ParseSince(map, started, errors);
        var reconfirm = Scalar(map, "reconfirm", errors);
        if (reconfirm is not null && ScheduleProblem(reconfirm.Value, "reconfirm") is { } reconfirmRefused)
        {
            errors.Add(At(reconfirm.Node, reconfirmRefused));
        }

        var zone = Child(map, "timeZone") is { } zoneNode ? ParseTimeZone(zoneNode, errors) ?? defaultZone : defaultZone;
        var checks = ParseChecks(map, staple, errors);
        var isPublic = Child(map, "public") is { } publicNode && ParsePublic(publicNode, errors);

        if (errors.Count > before)
        {
            return null;
        }

        return new Micromastery(
            Slug: slug?.Value ?? staple!.Id,
            Name: name?.Value ?? staple!.Name,
            Layer: layer,
            Started: started,
            TimeZone: zone,
            Anatomy: staple?.Anatomy,
            StapleId: staple?.Id,
            Checks: checks,
            Since: since,
            Reconfirm: reconfirm?.Value)
        { Public = isPublic };
    }

    /// <summary>
    /// The opt-in <c>since</c>: evidence from this date on counts, for a skill practised before the hub
    /// was installed. It may only open the window earlier than <c>started</c>, never later.
    /// </summary>
    private static DateOnly? ParseSince(YamlMappingNode map, DateOnly started, List<StackFileError> errors)
    {
        if (Scalar(map, "since", errors) is not { } text)
        {
            return null;
        }

        if (!DateOnly.TryParseExact(text.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var since))
        {
            errors.Add(At(text.Node, $"'since' must be a date like 2025-01-01, not '{text.Value}'"));
            return null;
        }

        if (since.Year < 2000)
        {
            errors.Add(At(text.Node, $"'since' is {text.Value}; evidence counts from the year 2000 or later"));
            return null;
        }

        if (started != default && since > started)
        {
            errors.Add(At(text.Node, $"'since' ({text.Value}) is after 'started' ({started:yyyy-MM-dd}); 'since' only counts evidence from before the start, so leave it out"));
            return null;
        }

        return since;
    }

    private List<CheckSpec> ParseChecks(YamlMappingNode entry, Staple? staple, List<StackFileError> errors)
    {
        var checks = new List<CheckSpec>();
        var node = Child(entry, "checks");
        if (node is null && staple is null && Child(entry, "staple") is not null)
        {
            return checks; // the unknown staple is the error to fix first
        }

        if (node is null)
        {
            // A staple whose main suggested check needs no parameters works without a 'checks' list.
            if (staple?.Checks.FirstOrDefault(c => c.RequiredParameters.Count == 0 && checkTypes.Find(c.Type) is not null) is { } main)
            {
                return [new CheckSpec(main.Type, main.Type, new Dictionary<string, string>(), null, (int)entry.Start.Line)];
            }

            errors.Add(At(entry, staple is null
                ? "'checks' is required: list at least one check (use 'type: manual' where no API can see the payoff)"
                : $"'checks' is required for '{staple.Id}': its checks need parameters ({Suggest(staple)})"));
            return checks;
        }

        if (node is not YamlSequenceNode list || list.Children.Count == 0)
        {
            errors.Add(At(node, "'checks' must be a non-empty list, e.g. '- type: manual'"));
            return checks;
        }

        foreach (var item in list)
        {
            if (ParseCheck(item, errors) is { } check)
            {
                if (checks.Any(c => c.Id == check.Id))
                {
                    errors.Add(At(item, $"check id '{check.Id}' is used twice in this micromastery; give one an 'id'"));
                    continue;
                }

                checks.Add(check);
            }
        }

        return checks;
    }

    private CheckSpec? ParseCheck(YamlNode node, List<StackFileError> errors)
    {
        if (node is not YamlMappingNode map)
        {
            errors.Add(At(node, "each check must be a mapping with a 'type', e.g. '- type: stripe.test-payment'"));
            return null;
        }

        var before = errors.Count;
        if (Scalar(map, "type", errors) is not { } typeText)
        {
            errors.Add(At(map, $"a check needs a 'type'; known types: {string.Join(", ", checkTypes.Names)}"));
            return null;
        }

        var type = checkTypes.Find(typeText.Value);
        if (type is null)
        {
            errors.Add(At(typeText.Node, $"unknown check type '{typeText.Value}'; known types: {string.Join(", ", checkTypes.Names)}"));
            return null;
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                errors.Add(At(keyNode, "a key must be a plain value"));
                continue;
            }

            if (CheckKeys.Contains(key))
            {
                continue;
            }

            var definition = type.Parameters.FirstOrDefault(p => p.Name == key);
            if (definition is null)
            {
                var known = type.Parameters.Count == 0 ? "it takes none" : "known: " + string.Join(", ", type.Parameters.Select(p => p.Name));
                errors.Add(At(keyNode, $"'{type.Type}' has no parameter '{key}' ({known})"));
                continue;
            }

            var value = valueNode switch
            {
                YamlScalarNode s => s.Value ?? "",
                YamlSequenceNode seq when seq.All(c => c is YamlScalarNode) => string.Join(",", seq.Select(c => ((YamlScalarNode)c).Value)),
                _ => null,
            };
            if (value is null)
            {
                errors.Add(At(valueNode, $"parameter '{key}' must be a value or a list of values"));
                continue;
            }

            if (definition.Validate?.Invoke(value) is { } problem)
            {
                errors.Add(At(valueNode, $"parameter '{key}': {problem}"));
                continue;
            }

            parameters[key] = value;
        }

        foreach (var missing in type.Parameters.Where(p => p.Required && !parameters.ContainsKey(p.Name) && !map.Children.ContainsKey(p.Name)))
        {
            errors.Add(At(map, $"'{type.Type}' needs parameter '{missing.Name}': {missing.Description}"));
        }

        var idText = Scalar(map, "id", errors);
        if (idText is { Value.Length: > MaxCheckIdLength })
        {
            errors.Add(At(idText.Node, $"check 'id' is {idText.Value.Length} characters; at most {MaxCheckIdLength}"));
        }

        var id = idText?.Value ?? type.Type;
        var schedule = Scalar(map, "schedule", errors);
        if (schedule is not null && ScheduleProblem(schedule.Value) is { } refused)
        {
            errors.Add(At(schedule.Node, refused));
        }

        return errors.Count > before ? null : new CheckSpec(id, type.Type, parameters, schedule?.Value, (int)map.Start.Line);
    }

    private static string Suggest(Staple staple) =>
        string.Join("; ", staple.Checks.Select(c => c.RequiredParameters.Count == 0 ? c.Type : $"{c.Type} with {string.Join(", ", c.RequiredParameters)}"));

    private static bool IsSlug(string value) =>
        value.Length is > 0 and <= 80 && value.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') && value[0] != '-';

    /// <summary>Why a schedule is refused, or null: <see cref="Schedule.Problem"/>, named as the stack file's key.</summary>
    private static string? ScheduleProblem(string value, string key = "schedule") =>
        Schedule.Problem(value) is { } problem ? $"'{key}' {problem}" : null;

    private static TimeZoneInfo? ParseTimeZone(YamlNode node, List<StackFileError> errors)
    {
        if (node is YamlScalarNode { Value: { Length: > 0 } id })
        {
            if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
            {
                return zone;
            }

            errors.Add(At(node, $"unknown time zone '{id}'; use an IANA name such as Europe/Istanbul or America/New_York"));
            return null;
        }

        errors.Add(At(node, "'timeZone' must be an IANA time zone name such as Europe/Istanbul"));
        return null;
    }

    private static void RejectUnknownKeys(YamlMappingNode map, string[] allowed, string where, List<StackFileError> errors)
    {
        foreach (var key in map.Children.Keys)
        {
            if (key is YamlScalarNode { Value: { } k } && !allowed.Contains(k))
            {
                errors.Add(At(key, $"unknown key '{k}' in {where}; allowed: {string.Join(", ", allowed)}"));
            }
        }
    }

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    private static ScalarValue? Scalar(YamlMappingNode map, string key, List<StackFileError> errors)
    {
        var node = Child(map, key);
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalarNode { Value: { Length: > 0 } value })
        {
            return new ScalarValue(value.Trim(), node);
        }

        errors.Add(At(node, $"'{key}' must be a single non-empty value"));
        return null;
    }

    private sealed record ScalarValue(string Value, YamlNode Node);

    private static StackFileError At(YamlNode node, string message) => new((int)node.Start.Line, (int)node.Start.Column, message);
}
