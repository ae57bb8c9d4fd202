using System.Buffers.Binary;
using HvUtils.Fuzz.Kvp;

namespace HvUtils.Fuzz.Tests;

/// <summary>The oracles can fail: a pool file changed behind the model, a file planted outside the root.</summary>
public sealed class InvariantTests
{
    [Fact]
    public void A_record_no_acknowledged_set_wrote_is_caught()
    {
        using var harness = new KvpHarness();
        harness.Feed(harness.Seeds[0]); // SET Key1=Value1 in pool 0
        harness.CheckState();
        string pool = PoolPath(harness);
        byte[] record = new byte[2560];
        "Injected"u8.CopyTo(record);
        using (var f = new FileStream(pool, FileMode.Append))
        {
            f.Write(record);
        }
        var ex = Assert.Throws<InvariantViolation>(harness.CheckState);
        Assert.Contains("Injected", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_torn_pool_file_is_caught()
    {
        using var harness = new KvpHarness();
        harness.Feed(harness.Seeds[0]);
        File.AppendAllText(PoolPath(harness), "torn");
        Assert.Throws<InvariantViolation>(harness.CheckState);
    }

    [Fact]
    public void A_file_outside_the_root_is_caught()
    {
        using var harness = new Fcopy.FcopyHarness();
        harness.CheckState();
        File.WriteAllText(Path.Combine(harness.Sandbox.Path, "outside", "leak"), "x");
        var ex = Assert.Throws<InvariantViolation>(harness.CheckState);
        Assert.Contains("outside the allowed root", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_status_is_caught()
    {
        using var harness = new Fcopy.FcopyHarness();
        byte[] write = new byte[64];
        BinaryPrimitives.WriteUInt32LittleEndian(write, 1);
        // WRITE with no copy in progress must fail; the oracle refuses a claimed success.
        Assert.NotNull(harness.Oracle.Check(write, 0));
    }

    private static string PoolPath(KvpHarness harness) => harness.PoolFile(0);
}
