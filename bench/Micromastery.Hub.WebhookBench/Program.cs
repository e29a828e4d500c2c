using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Micromastery.Hub.WebhookBench;

// CPU per webhook delivery in the request path (issue 13), see bench/webhook-request-path.md:
//   dotnet run -c Release --project bench/Micromastery.Hub.WebhookBench -- cpu [rounds] [requests per round]
//   dotnet run -c Release --project bench/Micromastery.Hub.WebhookBench -- --filter '*'   (BenchmarkDotNet)
if (args.Length > 0 && args[0] == "cpu")
{
    await CpuPerRequest.RunAsync(
        args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 7,
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20_000);
    return;
}

// The benchmarks run in this process (no generated project per benchmark), with fewer iterations than
// BenchmarkDotNet's default: the machine is shared and noisy, so compare medians of several runs.
var config = DefaultConfig.Instance
    .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(5).WithIterationCount(15)
        .WithMinIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250)))
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);
BenchmarkSwitcher.FromAssembly(typeof(Deliveries).Assembly).Run(args, config);
