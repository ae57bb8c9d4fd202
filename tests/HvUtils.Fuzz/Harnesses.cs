using HvUtils.Fuzz.Fcopy;
using HvUtils.Fuzz.Kvp;
using HvUtils.Fuzz.Vss;

namespace HvUtils.Fuzz;

/// <summary>The channels that can be fuzzed, by the name the command line takes.</summary>
public static class Harnesses
{
    public static readonly string[] Names = ["kvp", "vss", "fcopy-legacy", "fcopy-uio"];

    public static IChannelHarness Create(string name) => name switch
    {
        "kvp" => new KvpHarness(),
        "vss" => new VssHarness(),
        "fcopy-legacy" => new FcopyHarness(),
        "fcopy-uio" => new FcopyUioHarness(),
        _ => throw new ArgumentException($"unknown channel '{name}'; one of {string.Join(", ", Names)}"),
    };
}
