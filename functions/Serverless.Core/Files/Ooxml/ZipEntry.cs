namespace Serverless.Files.Ooxml;

/// <summary>What the inspection keeps of a central directory record: where the part is, its sizes and CRC, and a
/// hash of its name (the name itself is checked as it is read, then let go, so 10,000 parts cost 400 KB).</summary>
internal readonly record struct ZipEntry(long LocalOffset, long CompressedSize, long UncompressedSize, uint Crc, int Method, int Flags, ulong NameHash, ZipPart Part);

/// <summary>The parts the inspection reads the content of.</summary>
internal enum ZipPart
{
    Other,
    ContentTypes,
    Relationships,
}
