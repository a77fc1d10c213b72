using System.IO.Compression;
using System.Text;

namespace Serverless.Tests.Files;

/// <summary>PDFs written by hand, object by object, with a cross-reference table that points at each one.</summary>
internal static class TestPdfs
{
    /// <summary>One page of text: what a doctor's letter is, structurally.</summary>
    public static byte[] Letter() => Build(
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        Stream("<< /Length {0} >>", "BT /F1 12 Tf 72 770 Td (Diagnosis: bruises, 2025-06-14) Tj ET"),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");

    /// <summary>The letter after a scanned page (an image of random bytes), <paramref name="length"/> bytes in all: a file
    /// of a given size that validation accepts as it is.</summary>
    public static byte[] OfLength(int length, int seed = 3)
    {
        var tail = Encoding.ASCII.GetBytes("\nendstream\nendobj\n").Concat(Letter()[9..]).ToArray();
        static byte[] Head(int imageLength) => Encoding.ASCII.GetBytes($"%PDF-1.7\n1 0 obj\n<< /Type /XObject /Subtype /Image /Filter /DCTDecode /Length {imageLength} >>\nstream\n");
        var image = length - tail.Length - Head(length).Length;
        while (Head(image).Length + image + tail.Length != length)
        {
            image = length - tail.Length - Head(image).Length;
        }

        var bytes = new byte[image];
        new Random(seed).NextBytes(bytes);
        return [.. Head(image), .. bytes, .. tail];
    }

    /// <summary>The letter with <paramref name="catalogExtra"/> added to its catalog and <paramref name="objects"/> after it.</summary>
    public static byte[] With(string catalogExtra, params string[] objects) => Build(
        [$"<< /Type /Catalog /Pages 2 0 R {catalogExtra} >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        .. objects]);

    /// <summary>A PDF 1.5 whose catalog and page live compressed in an object stream; <paramref name="hidden"/> is
    /// put in the catalog, where only inflating the stream shows it.</summary>
    public static byte[] WithObjectStream(string hidden, string filter = "/Filter /FlateDecode")
    {
        var objects = $"1 0 2 60 << /Type /Catalog /Pages 2 0 R {hidden} >>\n<< /Type /Pages /Kids [] /Count 0 >>";
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(Encoding.ASCII.GetBytes(objects));
        }

        var data = compressed.ToArray();
        var header = Encoding.ASCII.GetBytes($"%PDF-1.5\n%\xE2\xE3\xCF\xD3\n3 0 obj\n<< /Type /ObjStm /N 2 /First 9 {filter} /Length {data.Length} >>\nstream\n");
        var tail = Encoding.ASCII.GetBytes("\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n");
        return [.. header, .. data, .. tail];
    }

    public static string Stream(string dictionary, string content) => string.Format(System.Globalization.CultureInfo.InvariantCulture, dictionary, content.Length) + "\nstream\n" + content + "\nendstream";

    public static byte[] Build(params string[] objects)
    {
        var text = new StringBuilder("%PDF-1.7\n%\u00E2\u00E3\u00CF\u00D3\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(Encoding.Latin1.GetByteCount(text.ToString()));
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = Encoding.Latin1.GetByteCount(text.ToString());
        text.Append(System.Globalization.CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }

        text.Append(System.Globalization.CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.Latin1.GetBytes(text.ToString());
    }
}
