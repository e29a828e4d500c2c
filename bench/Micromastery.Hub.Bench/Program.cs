using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Micromastery.Hub.Email;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Templates;
using Scriban;

// Render time per weekly email (HTML + text, model building included, as the hub does on every send):
// dotnet run -c Release --project bench/Micromastery.Hub.Bench [iterations] [warm-up renders]
// Warm means the JIT is done: by default the warm-up renders until half a second passes with no method
// compiled (50 renders, the old warm-up, left most of the code at tier 0 and measured that instead).
var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
int? warmUpRenders = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : null;
var zone = TimeZoneInfo.Utc;
var now = DateTimeOffset.UtcNow;
var staples = Catalog.Staples.Take(12).ToList();
var definition = new StackDefinition(zone, staples.Select((s, i) =>
    new Micromastery.Hub.Stack.Micromastery(s.Id, s.Name, s.Layer, DateOnly.FromDateTime(now.UtcDateTime).AddDays(-i * 3), zone, s.Anatomy, s.Id, [])).ToList());
var report = new StackReport(now, zone.Id, "stack.yml", [], definition.Micromasteries.Select((m, i) =>
{
    var day = m.PlanOn(now);
    var verified = i % 3 == 0;
    return new MicromasteryReport(m.Slug, m.Name, m.Layer.Code(), m.Layer.Title(), m.StapleId, m.Started, day.Day, day.Phase, day.Asks,
        verified ? PayoffStates.Verified : PayoffStates.Pending, verified ? now.AddDays(-i) : null,
        [new CheckReport("check", "manual", verified ? CheckStates.Holds : i % 2 == 0 ? CheckStates.Unknown : CheckStates.Pending, "upstream 502", now, null)],
        verified ? [new EvidenceItem("check", "manual", $"ev-{i}", now.AddDays(-i), $"https://example.com/proof/{i}")] : []);
}).ToList());

var options = new Monitor(new TemplateOptions { Path = Path.Combine(AppContext.BaseDirectory, "templates") });
var files = new TemplateFiles(options, new Env());
var renderer = new TemplateRenderer(files, options, NullLogger<TemplateRenderer>.Instance);
var week = IsoWeek.Of(now, zone);

async Task RenderOnceAsync()
{
    await renderer.RenderAsync(WeeklyEmailRenderer.HtmlTemplate, WeeklyModel.Build(report, definition, week), CancellationToken.None);
    await renderer.RenderAsync(WeeklyEmailRenderer.TextTemplate, WeeklyModel.Build(report, definition, week), CancellationToken.None);
}

var cold = Stopwatch.StartNew();
await RenderOnceAsync();
Console.WriteLine($"first email in this process (cold: JIT included): {cold.Elapsed.TotalMilliseconds:F1} ms");
Console.WriteLine($"warm-up: {await WarmUpAsync(RenderOnceAsync)}");
var allocated = GC.GetTotalAllocatedBytes(precise: true);
var emails = await TimeAsync(RenderOnceAsync);
allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
Console.WriteLine($"{iterations} weekly emails (12 micromasteries, HTML + text): {emails} per email, {allocated / iterations / 1024} KB allocated per email");

// Each step alone, warmed up the same way, through the public pieces the renderer uses: where an email's time goes.
var htmlPath = files.Resolve(WeeklyEmailRenderer.HtmlTemplate, out _)!;
var textPath = files.Resolve(WeeklyEmailRenderer.TextTemplate, out _)!;
var (htmlSource, textSource) = (await File.ReadAllTextAsync(htmlPath), await File.ReadAllTextAsync(textPath));
Console.WriteLine("each step alone, both templates, per email:");
await PhaseAsync("resolve the paths", () =>
{
    files.Resolve(WeeklyEmailRenderer.HtmlTemplate, out _);
    files.Resolve(WeeklyEmailRenderer.TextTemplate, out _);
    return Task.CompletedTask;
});
await PhaseAsync("read the files", async () =>
{
    await File.ReadAllTextAsync(htmlPath);
    await File.ReadAllTextAsync(textPath);
});
await PhaseAsync("parse", () =>
{
    Template.Parse(htmlSource, htmlPath);
    Template.Parse(textSource, textPath);
    return Task.CompletedTask;
});
await PhaseAsync("build the models", () =>
{
    WeeklyModel.Build(report, definition, week);
    WeeklyModel.Build(report, definition, week);
    return Task.CompletedTask;
});

async Task PhaseAsync(string name, Func<Task> action)
{
    await WarmUpAsync(action);
    Console.WriteLine($"  {name,-18} {await TimeAsync(action)}");
}

async Task<string> WarmUpAsync(Func<Task> action)
{
    var clock = Stopwatch.StartNew();
    var runs = 0;
    if (warmUpRenders is { } fixedRuns)
    {
        for (; runs < fixedRuns; runs++)
        {
            await action();
        }

        return $"{runs} runs in {clock.Elapsed.TotalSeconds:F1} s (fixed)";
    }

    // Half a second with no method compiled (tier-1 recompilations included), capped at a minute.
    while (clock.Elapsed < TimeSpan.FromMinutes(1))
    {
        var compiled = JitInfo.GetCompiledMethodCount();
        var window = Stopwatch.StartNew();
        while (window.ElapsedMilliseconds < 500)
        {
            await action();
            runs++;
        }

        if (JitInfo.GetCompiledMethodCount() == compiled)
        {
            return $"{runs} runs in {clock.Elapsed.TotalSeconds:F1} s, until the JIT compiled nothing for 0.5 s";
        }
    }

    return $"{runs} runs in {clock.Elapsed.TotalSeconds:F1} s: the JIT never settled, figures may include tier-0 code";
}

async Task<Timing> TimeAsync(Func<Task> action)
{
    var samples = new double[iterations];
    for (var i = 0; i < iterations; i++)
    {
        var start = Stopwatch.GetTimestamp();
        await action();
        samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    System.Array.Sort(samples);
    return new Timing(samples.Average(), samples[(int)Math.Ceiling(samples.Length * 0.99) - 1]);
}

internal sealed record Timing(double Mean, double P99)
{
    public override string ToString() => $"mean {Mean:F3} ms, p99 {P99:F3} ms";
}

internal sealed class Monitor(TemplateOptions value) : IOptionsMonitor<TemplateOptions>
{
    public TemplateOptions CurrentValue => value;

    public TemplateOptions Get(string? name) => value;

    public IDisposable? OnChange(Action<TemplateOptions, string?> listener) => null;
}

internal sealed class Env : IHostEnvironment
{
    public string EnvironmentName { get; set; } = "Production";

    public string ApplicationName { get; set; } = "bench";

    public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
}
