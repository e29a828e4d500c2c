using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Micromastery.Hub.Infrastructure;
using Micromastery.Hub.Payoffs;

// Server time of GET /api/stack on a big stack: 30 micromasteries, a year of daily practice on each and
// 50,000 evidence rows, on SQLite, through the in-process test server (no socket, JSON included):
// dotnet run -c Release --project bench/Micromastery.Hub.StackBench [requests] [evidence rows]
var requests = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
var evidenceRows = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50_000;
const int Micromasteries = 30;

var directory = Directory.CreateTempSubdirectory("hub-stackbench-").FullName;
var today = DateOnly.FromDateTime(DateTime.UtcNow);
var yaml = new StringBuilder("timeZone: Europe/Istanbul\nmicromasteries:\n");
for (var i = 0; i < Micromasteries; i++)
{
    yaml.Append(CultureInfo.InvariantCulture, $"  - slug: skill-{i}\n    name: Skill {i}\n    layer: {"ABCDE"[i % 5]}\n    started: {today.AddDays(-300 + i * 10):yyyy-MM-dd}\n    checks:\n      - type: manual\n");
}

await File.WriteAllTextAsync(Path.Combine(directory, "stack.yml"), yaml.ToString());
Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_MICROMASTERY_HUB", directory);
await using var hub = new BenchHub(directory);
var client = hub.CreateClient();

var seeding = Stopwatch.StartNew();
var database = hub.Services.GetRequiredService<HubDatabase>();
await using (var connection = await database.OpenAsync())
{
    await using var transaction = await connection.BeginTransactionAsync();
    var now = DateTimeOffset.UtcNow;
    for (var n = 0; n < evidenceRows; n++)
    {
        var slug = $"skill-{n % Micromasteries}";
        var at = now.AddMinutes(-n * 10).ToUnixTimeMilliseconds();
        var id = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO observations (source, kind, external_id, observed_at, url, facts, recorded_at) VALUES ('manual', 'manual', @ext, @at, @url, @facts, @at) RETURNING id",
            new { ext = $"{slug}/manual/{n}", at, url = $"https://example.com/proof/{n}", facts = $"{{\"context\":\"customer {n % 7}\"}}" }, transaction);
        await connection.ExecuteAsync("INSERT INTO evidence (slug, check_id, observation_id, observed_at, created_at) VALUES (@slug, 'manual', @id, @at, @at)", new { slug, id, at }, transaction);
    }

    for (var i = 0; i < Micromasteries; i++)
    {
        for (var d = 0; d < 365; d++)
        {
            var day = today.AddDays(-d);
            await connection.ExecuteAsync(
                "INSERT INTO practice_sessions (id, slug, started_at, local_date, minutes, note, recorded_at, updated_at) VALUES (@id, @slug, @at, @day, @minutes, NULL, @at, @at)",
                new { id = $"p{i}-{d}", slug = $"skill-{i}", at = new DateTimeOffset(day.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero).ToUnixTimeMilliseconds(), day = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), minutes = 30 + (d * 7 + i) % 90 },
                transaction);
        }
    }

    // Written behind the practice store's back: its per-day and per-micromastery sums are made as migration 020 makes them.
    await connection.ExecuteAsync(
        "INSERT INTO practice_days (slug, local_date, minutes, blocks, sessions) SELECT slug, local_date, SUM(minutes), SUM(CASE WHEN minutes >= 90 THEN 1 ELSE 0 END), count(*) FROM practice_sessions GROUP BY slug, local_date",
        transaction: transaction);
    await connection.ExecuteAsync("INSERT INTO practice_totals (slug, minutes, last_date) SELECT slug, SUM(minutes), MAX(local_date) FROM practice_days GROUP BY slug", transaction: transaction);
    await transaction.CommitAsync();
}

Console.WriteLine($"seeded {Micromasteries} micromasteries, {evidenceRows} evidence rows, {Micromasteries * 365} practice sessions in {seeding.Elapsed.TotalSeconds:F1} s");

for (var i = 0; i < 10; i++)
{
    (await client.GetAsync("/api/stack")).EnsureSuccessStatusCode();
}

var times = new double[requests];
long bytes = 0;
for (var i = 0; i < requests; i++)
{
    var started = Stopwatch.GetTimestamp();
    var response = await client.GetAsync("/api/stack");
    var body = await response.Content.ReadAsByteArrayAsync();
    times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    bytes = body.Length;
}

Array.Sort(times);
Console.WriteLine($"GET /api/stack × {requests}: p50 {times[requests / 2]:F1} ms, p99 {times[(int)Math.Ceiling(requests * 0.99) - 1]:F1} ms, {bytes / 1024} KiB per response");

var reporter = hub.Services.GetRequiredService<PayoffReporter>();
var reports = new double[requests];
for (var i = 0; i < requests; i++)
{
    var started = Stopwatch.GetTimestamp();
    await reporter.BuildAsync(CancellationToken.None);
    reports[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}

Array.Sort(reports);
Console.WriteLine($"PayoffReporter.BuildAsync (no JSON) × {requests}: p50 {reports[requests / 2]:F1} ms, p99 {reports[(int)Math.Ceiling(requests * 0.99) - 1]:F1} ms");
await TimeCallAsync("PayoffReporter.BuildAsync(null, newest: 0), what / reads", () => reporter.BuildAsync(null, 0, CancellationToken.None));
var emails = hub.Services.GetRequiredService<Micromastery.Hub.Email.WeeklyEmailRenderer>();
await TimeCallAsync("WeeklyEmailRenderer text part and subject, what /email renders", () => emails.RenderPartWithSubjectAsync(null, text: true, CancellationToken.None));

async Task TimeCallAsync<T>(string what, Func<Task<T>> call)
{
    for (var i = 0; i < 5; i++)
    {
        await call();
    }

    var callTimes = new double[requests];
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var allocated = GC.GetTotalAllocatedBytes();
    for (var i = 0; i < requests; i++)
    {
        var started = Stopwatch.GetTimestamp();
        await call();
        callTimes[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
    allocated = GC.GetTotalAllocatedBytes() - allocated;
    Array.Sort(callTimes);
    Console.WriteLine($"{what} × {requests}: p50 {callTimes[requests / 2]:F1} ms, p99 {callTimes[(int)Math.Ceiling(requests * 0.99) - 1]:F1} ms, p10 {callTimes[requests / 10]:F1} ms, CPU {cpu.TotalMilliseconds / requests:F2} ms, {allocated / requests / 1024} KiB allocated each");
}

async Task TimeAsync(string path, int count)
{
    for (var i = 0; i < 5; i++)
    {
        (await client.GetAsync(path)).EnsureSuccessStatusCode();
    }

    var pageTimes = new double[count];
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var allocated = GC.GetTotalAllocatedBytes();
    for (var i = 0; i < count; i++)
    {
        var started = Stopwatch.GetTimestamp();
        var response = await client.GetAsync(path);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
        pageTimes[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
    allocated = GC.GetTotalAllocatedBytes() - allocated;
    Array.Sort(pageTimes);
    // CPU per request (the whole process, client side included) moves far less than wall time on a shared machine.
    Console.WriteLine($"GET {path} × {count}: p50 {pageTimes[count / 2]:F1} ms, p99 {pageTimes[(int)Math.Ceiling(count * 0.99) - 1]:F1} ms, p10 {pageTimes[count / 10]:F1} ms, CPU {cpu.TotalMilliseconds / count:F2} ms, {allocated / count / 1024} KiB allocated each");
}

await TimeAsync("/", requests);
await TimeAsync("/micromasteries/skill-0", requests);
await TimeAsync("/email", requests);

// The inbox page with a million events: keyset paging should not care how many there are.
var inboxEvents = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_000_000;
seeding.Restart();
await using (var connection = await database.OpenAsync())
{
    await using var transaction = await connection.BeginTransactionAsync();
    const int Chunk = 500;
    var at = DateTimeOffset.UtcNow.AddDays(-30).ToUnixTimeMilliseconds();
    for (var n = 0; n < inboxEvents; n += Chunk)
    {
        var values = string.Join(",", Enumerable.Range(n, Math.Min(Chunk, inboxEvents - n)).Select(k =>
            $"('stripe', 'evt_bench_{k}', 'payment_intent.succeeded', {at + k}, '{{}}', {(k % 50 == 0 ? 3 : 1)}, {at + k}, 1, NULL)"));
        await connection.ExecuteAsync(
            "INSERT INTO inbox_events (provider, event_id, event_type, received_at, body, state, processed_at, attempts, note) VALUES " + values, transaction: transaction);
    }

    await transaction.CommitAsync();
}

Console.WriteLine($"seeded {inboxEvents} inbox events in {seeding.Elapsed.TotalSeconds:F1} s");
await TimeAsync("/inbox", requests);
await TimeAsync("/inbox?state=failed", requests);
if (Environment.GetEnvironmentVariable("STACKBENCH_KEEP") is null)
{
    Directory.Delete(directory, recursive: true);
}
else
{
    Console.WriteLine($"kept {directory}");
}

internal sealed class BenchHub(string directory) : WebApplicationFactory<CheckRunner> // any type of the hub assembly names its entry point
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:DataDirectory", Path.Combine(directory, "data"));
        builder.UseSetting("Stack:Path", Path.Combine(directory, "stack.yml"));
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Polling:CatchUp", "false");
    }
}
