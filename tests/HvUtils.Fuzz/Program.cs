using System.Globalization;
using HvUtils.Fuzz;

// hvutils-fuzz CHANNEL [--count N] [--seed S]   long mode (docs/fuzzing.md)
// hvutils-fuzz CHANNEL --afl                    one AFL input per run (afl.sh)
// hvutils-fuzz CHANNEL --dump-seeds DIR         the golden vectors as files (AFL corpus)
if (args.Length == 0 || (args[0] != "all" && Array.IndexOf(Harnesses.Names, args[0]) < 0))
{
    Console.Error.WriteLine($"usage: HvUtils.Fuzz {{{string.Join('|', Harnesses.Names)}|all}} [--count N] [--seed S] | CHANNEL --afl");
    return 64;
}
long count = 1_000_000;
int seed = 1;
bool afl = false;
for (int i = 1; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--count" when i + 1 < args.Length:
            count = long.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--seed" when i + 1 < args.Length:
            seed = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--afl":
            afl = true;
            break;
        case "--dump-seeds" when i + 1 < args.Length:
            {
                // The golden vectors as an AFL input corpus (afl.sh).
                string dir = Directory.CreateDirectory(args[++i]).FullName;
                using IChannelHarness h = Harnesses.Create(args[0]);
                for (int s = 0; s < h.Seeds.Count; s++)
                {
                    File.WriteAllBytes(Path.Combine(dir, $"seed-{s:D2}"), h.Seeds[s]);
                }
                return 0;
            }
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}");
            return 64;
    }
}
if (afl)
{
    AflEntry.Run(args[0]);
    return 0;
}
// Console streams open descriptors (and a signal thread) on first use: open them before any baseline is counted.
Console.Error.WriteLine($"HvUtils.Fuzz: {args[0]}, {count:N0} messages per channel, seed {seed}");
Console.Out.Flush();
int failed = 0;
foreach (string name in args[0] == "all" ? Harnesses.Names : [args[0]])
{
    using IChannelHarness harness = Harnesses.Create(name);
    try
    {
        FuzzResult r = FuzzRunner.Run(harness, count, seed, progress: n =>
        {
            if (n % 1_000_000 == 0)
            {
                Console.Error.WriteLine($"{name}: {n:N0} messages");
            }
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {r.Messages:N0} messages, seed {seed}, {r.Elapsed.TotalSeconds:F1} s, {r.PerSecond:N0} msg/s, 10M ≈ {1e7 / r.PerSecond / 60:F1} min; at rest before {r.Before}, after {r.After}; invariants held"));
        Console.WriteLine("  " + string.Join(" ", harness.Outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => string.Create(CultureInfo.InvariantCulture, $"{o.Key}={o.Value}"))));
    }
    catch (InvariantViolation v)
    {
        failed++;
        string crash = Path.GetFullPath($"fuzz-crash-{name}-{seed}.bin");
        if (v.Input is not null)
        {
            File.WriteAllBytes(crash, v.Input);
        }
        Console.WriteLine($"{name}: INVARIANT VIOLATED (seed {seed}): {v.Message}{(v.Input is null ? "" : $"\n  input saved to {crash}")}");
    }
}
return failed == 0 ? 0 : 1;
