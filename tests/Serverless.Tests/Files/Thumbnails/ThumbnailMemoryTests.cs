using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using Serverless.Files;
using Serverless.Files.Thumbnails;
using Xunit.Abstractions;

namespace Serverless.Tests.Files.Thumbnails;

/// <summary>
/// Thumbnailing a photo stays within a bound whatever its size: a 12-megapixel phone photo decoded whole would be
/// 48 MB. Managed allocations are counted by the GC; SkiaSharp allocates natively, which only the process's resident
/// memory shows, so on Linux the peak resident set (VmHWM, reset through /proc/self/clear_refs) is measured above the
/// resident set before the call, after the test photo has been made and the memory that making it took given back to
/// the system (GC compaction, malloc_trim). Runs in the file memory collection: nothing else runs meanwhile.
/// </summary>
[Collection(nameof(FileMemoryTests))]
public sealed class ThumbnailMemoryTests(ITestOutputHelper output)
{
    /// <summary>What one thumbnail may take above the idle process, native and managed together. The upload's
    /// validation allocates under 1 MB and the whole must stay under 16 MB.</summary>
    private const long PeakBudget = 12 * 1024 * 1024;

    public static TheoryData<string> Photos => ["12 MP JPEG", "12 MP PNG", "12 MP progressive JPEG", "2 MP PNG (the largest thumbnailed)", "1.4 MP progressive JPEG 4:4:4 (the largest thumbnailed)"];

    [Theory]
    [MemberData(nameof(Photos))]
    public async Task AThumbnailTakesLessThanTwelveMegabytesWhateverThePhotosSize(string photo)
    {
        var (content, type, made) = photo switch
        {
            "12 MP JPEG" => (TestImages.NoiseJpeg(4000, 3000), FileType.Jpeg, true),
            "12 MP PNG" => (TestImages.NoisePng(4000, 3000), FileType.Png, false),
            "12 MP progressive JPEG" => (TestProgressiveJpeg.Encode(TestImages.Pixels(4000, 3000, Quadrant.TopLeft), 4000, 3000), FileType.Jpeg, false),
            "2 MP PNG (the largest thumbnailed)" => (TestImages.NoisePng(1448, 1448), FileType.Png, true),
            _ => (TestProgressiveJpeg.Encode(TestImages.Pixels(1392, 1000, Quadrant.TopLeft), 1392, 1000), FileType.Jpeg, true),
        };
        var warmUp = type == FileType.Png ? TestImages.Png(400, 300) : TestProgressiveJpeg.Encode(TestImages.Pixels(400, 300, Quadrant.TopLeft), 400, 300);
        await using var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 4096, FileOptions.DeleteOnClose);
        await file.WriteAsync(content);
        var length = content.Length;
        content = null;
        var maker = new ThumbnailMaker();
        await maker.MakeAsync(new MemoryStream(warmUp), type, Stream.Null); // JIT, the codec's code paged in
        await maker.MakeAsync(new MemoryStream(TestImages.Jpeg(400, 300)), FileType.Jpeg, Stream.Null);
        GiveMemoryBack();

        var before = Resident("VmRSS");
        ResetPeak();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var result = await maker.MakeAsync(file, type, Stream.Null);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var peak = Resident("VmHWM") - before;

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{photo} ({length / 1e6:F1} MB): {result}; managed {allocated / 1e6:F2} MB allocated; peak resident {peak / 1e6:F1} MB above {before / 1e6:F0} MB"));
        Assert.Equal(made, result is ThumbnailResult.Made);

        // Managed allocations may land in memory the GC already holds, so they are added to the resident peak.
        Assert.True(peak + allocated < PeakBudget, $"peak resident {peak} bytes above the start, and {allocated} bytes allocated");
    }

    /// <summary>What making the test photo took goes back to the system, so the thumbnail's own allocations
    /// cannot hide in pages the process already holds.</summary>
    private static void GiveMemoryBack()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (OperatingSystem.IsLinux())
        {
            MallocTrim(0);
        }
    }

    private static long Resident(string field)
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        var line = File.ReadLines("/proc/self/status").Single(line => line.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>Writing 5 to clear_refs resets VmHWM to the current resident set (Linux 4.0 and later).</summary>
    private static void ResetPeak()
    {
        if (OperatingSystem.IsLinux())
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MallocTrim(nuint pad);
}
