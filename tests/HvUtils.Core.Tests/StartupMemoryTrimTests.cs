using System.IO.MemoryMappedFiles;
using HvUtils.Core.Hosting;
using HvUtils.Testing;

namespace HvUtils.Core.Tests;

public sealed class StartupMemoryTrimTests
{
    private const string Maps = """
        55ea845db000-55ea845f0000 r--p 00000000 fe:00 11665669                   /opt/hvutils/hvutilsd
        55ea845f0000-55ea84b7a000 r-xp 00015000 fe:00 11665669                   /opt/hvutils/hvutilsd
        55ea85041000-55ea85066000 rw-p 00a66000 fe:00 11665669                   /opt/hvutils/hvutilsd
        55ea85066000-55ea852e1000 rw-p 00000000 00:00 0 
        7f0f4e006000-7f0f4e15c000 r-xp 00026000 fe:00 332096                     /usr/lib/x86_64-linux-gnu/libc.so.6
        7ffd1c3f0000-7ffd1c411000 rw-p 00000000 00:00 0                          [stack]
        55ea84e1c000-55ea8503f000 r--p 00841000 fe:00 11665669                   /opt/hvutils/hvutilsd (deleted)
        garbage line
        """;

    [Fact]
    public void Only_the_read_only_mappings_of_the_executable_are_selected()
    {
        MappedRange[] ranges = [.. MappedRange.ReadOnlyMappingsOf(Maps, "/opt/hvutils/hvutilsd")];

        Assert.Equal(
            [(unchecked((nint)0x55ea845db000), 0x15000L, "r--p"), (unchecked((nint)0x55ea845f0000), 0x58a000L, "r-xp")],
            ranges.Select(r => (r.Start, r.Length, r.Permissions)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("55ea845f0000 r-xp 0 fe:00 1 /x")]
    [InlineData("zz-55ea845f0000 r-xp 0 fe:00 1 /x")]
    [InlineData("2000-1000 r-xp 0 fe:00 1 /x")]
    public void Malformed_lines_are_skipped(string line) => Assert.False(MappedRange.TryParse(line, out _));

    [Fact]
    public void Paging_out_a_read_only_file_mapping_drops_its_resident_pages()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("pages.bin");
        using (var f = new FileStream(path, FileMode.CreateNew))
        {
            f.Write(new byte[4 << 20].AsSpan());
            f.Flush(flushToDisk: true); // clean pages: PAGEOUT drops clean file pages, it would write dirty ones back
        }
        using var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        using MemoryMappedViewAccessor view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        long sum = 0;
        for (long offset = 0; offset < 4 << 20; offset += 4096)
        {
            sum += view.ReadByte(offset);
        }
        Assert.Equal(0, sum);
        long before = ResidentKilobytes(path);

        (int ranges, long bytes, int error) = StartupMemoryTrim.PageOut(File.ReadAllText("/proc/self/maps"), path);

        Assert.Equal(0, error);
        Assert.Equal((1, 4L << 20), (ranges, bytes));
        Assert.True(before >= 4096, $"the mapping was resident before: {before} kB");
        Assert.True(ResidentKilobytes(path) < before / 4, $"resident after: {ResidentKilobytes(path)} kB of {before} kB");
    }

    private static long ResidentKilobytes(string path)
    {
        long kb = 0;
        bool inMapping = false;
        foreach (string line in File.ReadLines("/proc/self/smaps"))
        {
            if (MappedRange.TryParse(line, out MappedRange range) && line.Contains('-', StringComparison.Ordinal) && !line.StartsWith("Rss", StringComparison.Ordinal))
            {
                inMapping = range.Path == path;
            }
            else if (inMapping && line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                kb += long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return kb;
    }
}
