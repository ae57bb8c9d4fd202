using System.IO.MemoryMappedFiles;
using HvUtils.Core.Hosting;
using HvUtils.Testing;

namespace HvUtils.Core.Tests;

public sealed class StartupMemoryTrimTests
{
    // Shaped like the AOT daemon's own smaps: text and rodata clean, the RELRO page (r--p, relocated
    // at load, so it holds an anonymous copy-on-write page) and the data segment must be left alone.
    private const string Smaps = """
        55ea845db000-55ea845f0000 r--p 00000000 fe:00 11665669                   /opt/hvutils/hvutilsd
        Size:                 84 kB
        Rss:                  84 kB
        Anonymous:             0 kB
        VmFlags: rd mr mw me
        55ea845f0000-55ea84b7a000 r-xp 00015000 fe:00 11665669                   /opt/hvutils/hvutilsd
        Rss:                4992 kB
        Anonymous:             0 kB
        55ea85040000-55ea85041000 r--p 00a64000 fe:00 11665669                   /opt/hvutils/hvutilsd
        Rss:                   4 kB
        Anonymous:             4 kB
        55ea85041000-55ea85066000 rw-p 00a66000 fe:00 11665669                   /opt/hvutils/hvutilsd
        Anonymous:            20 kB
        55ea85066000-55ea852e1000 rw-p 00000000 00:00 0
        Anonymous:          2472 kB
        7f0f4e006000-7f0f4e15c000 r-xp 00026000 fe:00 332096                     /usr/lib/x86_64-linux-gnu/libc.so.6
        Anonymous:             0 kB
        55ea84e1c000-55ea8503f000 r--p 00841000 fe:00 11665669                   /opt/hvutils/hvutilsd
        Rss:                1960 kB
        garbage line
        """;

    [Fact]
    public void Only_clean_read_only_mappings_of_the_executable_are_selected()
    {
        MappedRange[] ranges = [.. MappedRange.CleanReadOnlyMappingsOf(Smaps, "/opt/hvutils/hvutilsd")];

        // Not the RELRO page (anonymous copy), not rw-p, not libc, not the last one (no Anonymous line).
        Assert.Equal(
            [(unchecked((nint)0x55ea845db000), 0x15000L, "r--p"), (unchecked((nint)0x55ea845f0000), 0x58a000L, "r-xp")],
            ranges.Select(r => (r.Start, r.Length, r.Permissions)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("55ea845f0000 r-xp 0 fe:00 1 /x")]
    [InlineData("zz-55ea845f0000 r-xp 0 fe:00 1 /x")]
    [InlineData("2000-1000 r-xp 0 fe:00 1 /x")]
    [InlineData("Rss:                  84 kB")]
    [InlineData("VmFlags: rd mr mw me")]
    public void Lines_that_are_not_mapping_headers_are_not_parsed_as_one(string line) => Assert.False(MappedRange.TryParse(line, out _));

    [Fact]
    public void Paging_out_a_clean_read_only_file_mapping_drops_its_pages_and_keeps_the_bytes()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("pages.bin");
        byte[] content = new byte[4 << 20];
        new Random(7).NextBytes(content);
        using (var f = new FileStream(path, FileMode.CreateNew))
        {
            f.Write(content);
            f.Flush(flushToDisk: true); // clean pages: PAGEOUT drops clean file pages, it would write dirty ones back first
        }
        using var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        using MemoryMappedViewAccessor view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        for (long offset = 0; offset < content.Length; offset += 4096)
        {
            Assert.Equal(content[offset], view.ReadByte(offset));
        }
        long before = ResidentKilobytes(path);

        (int ranges, long bytes, int error) = StartupMemoryTrim.PageOut(File.ReadAllText("/proc/self/smaps"), path);

        Assert.Equal(0, error);
        Assert.Equal((1, (long)content.Length), (ranges, bytes));
        Assert.True(before >= 4096, $"the mapping was resident before: {before} kB");
        Assert.True(ResidentKilobytes(path) < before / 4, $"resident after: {ResidentKilobytes(path)} kB of {before} kB");
        // The pages are read back from the file on the next touch, unchanged.
        for (long offset = 0; offset < content.Length; offset += 4093)
        {
            Assert.Equal(content[offset], view.ReadByte(offset));
        }
    }

    private static long ResidentKilobytes(string path)
    {
        long kb = 0;
        bool inMapping = false;
        foreach (string line in File.ReadLines("/proc/self/smaps"))
        {
            if (MappedRange.TryParse(line, out MappedRange range))
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
