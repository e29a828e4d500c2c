using System.Diagnostics;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Micromastery.Hub.Email;
using Micromastery.Hub.Payoffs;
using Micromastery.Hub.Stack;
using Micromastery.Hub.Templates;

// Render time per weekly email (HTML + text, parse included, as the hub does on every send):
// dotnet run -c Release --project bench/Micromastery.Hub.Bench [iterations]
var iterations = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 500;
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

for (var i = 0; i < 50; i++)
{
    await RenderOnceAsync(); // warm-up: JIT and file cache
}

var clock = Stopwatch.StartNew();
for (var i = 0; i < iterations; i++)
{
    await RenderOnceAsync();
}

clock.Stop();
Console.WriteLine($"{iterations} weekly emails (12 micromasteries, HTML + text): {clock.Elapsed.TotalMilliseconds / iterations:F3} ms per email");

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
