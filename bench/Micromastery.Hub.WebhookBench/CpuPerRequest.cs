using System.Diagnostics;
using System.Globalization;

namespace Micromastery.Hub.WebhookBench;

/// <summary>
/// The in-process hub's CPU time per delivery (user + system, every thread of this process: the request
/// path and the inbox writer's commits), its wall time and its allocations, in bursts of
/// <see cref="RequestBenchmarks.Slots"/> concurrent deliveries as in <see cref="RequestBenchmarks.Burst"/>.
/// CPU time is what other processes on a shared machine disturb least; the median of the rounds is reported.
/// </summary>
public static class CpuPerRequest
{
    public static async Task RunAsync(int rounds, int requestsPerRound)
    {
        Console.WriteLine($"{rounds} rounds of {requestsPerRound} deliveries per provider, {RequestBenchmarks.Slots} at a time; medians (min–max)");
        Console.WriteLine("| provider | CPU µs/request | wall µs/request | allocated KB/request |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var provider in Deliveries.Providers)
        {
            var bench = new RequestBenchmarks { Provider = provider };
            await bench.SetupAsync();
            try
            {
                var bursts = requestsPerRound / RequestBenchmarks.Slots;
                for (var i = 0; i < bursts; i++)
                {
                    await bench.Burst(); // warm-up: tiered JIT, pools, SQLite page cache
                }

                var cpu = new List<double>();
                var wall = new List<double>();
                var allocated = new List<double>();
                var process = Process.GetCurrentProcess();
                for (var round = 0; round < rounds; round++)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    process.Refresh();
                    var cpuBefore = process.TotalProcessorTime;
                    var bytesBefore = GC.GetTotalAllocatedBytes(precise: true);
                    var started = Stopwatch.GetTimestamp();
                    for (var i = 0; i < bursts; i++)
                    {
                        await bench.Burst();
                    }

                    var elapsed = Stopwatch.GetElapsedTime(started);
                    process.Refresh();
                    var requests = bursts * RequestBenchmarks.Slots;
                    cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMicroseconds / requests);
                    wall.Add(elapsed.TotalMicroseconds / requests);
                    allocated.Add((GC.GetTotalAllocatedBytes(precise: true) - bytesBefore) / 1024.0 / requests);
                }

                Console.WriteLine($"| {provider} | {Summary(cpu)} | {Summary(wall)} | {Summary(allocated)} |");
            }
            finally
            {
                await bench.CleanupAsync();
            }
        }
    }

    private static string Summary(List<double> values)
    {
        values.Sort();
        return string.Create(CultureInfo.InvariantCulture, $"{values[values.Count / 2]:F1} ({values[0]:F1}–{values[^1]:F1})");
    }
}
