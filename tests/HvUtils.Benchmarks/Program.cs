using HvUtils.Benchmarks;

// Benchmarks are not pass/fail tests: each prints its figures (medians of several runs).
IBenchmark[] all =
[
    new StartupBenchmark(),
    new KvpIpInfoBenchmark(),
    new KvpBenchmark(),
    new KvpDirectBenchmark(),
    new VssBenchmark(),
    new FcopyBenchmark(),
    new FcopyDirectBenchmark(),
    new AotBenchmark(),
    new MetricsCostBenchmark(),
    new KvpCBenchmark(),
];

IBenchmark? chosen = args.Length > 0 ? all.FirstOrDefault(b => b.Name == args[0]) : null;
if (chosen is null)
{
    Console.WriteLine("usage: dotnet run -c Release --project tests/HvUtils.Benchmarks -- NAME [args]");
    foreach (IBenchmark b in all)
    {
        Console.WriteLine($"  {b.Name,-12} {b.Description}");
    }
    return args.Length == 0 ? 0 : 2;
}
await chosen.RunAsync(args[1..], Console.Out);
return 0;
