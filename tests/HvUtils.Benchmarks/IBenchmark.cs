namespace HvUtils.Benchmarks;

/// <summary>One named benchmark: `dotnet run -c Release --project tests/HvUtils.Benchmarks -- NAME`.</summary>
public interface IBenchmark
{
    string Name { get; }

    string Description { get; }

    Task RunAsync(IReadOnlyList<string> args, TextWriter output);
}
