using System.IO.Compression;

namespace Serverless.Files.Pdf;

/// <summary>
/// A byte-at-a-time PDF lexer that knows just enough to find what matters: comments, literal strings, names (with
/// <c>#xx</c> escapes decoded, so <c>/J#61vaScript</c> is <c>/JavaScript</c>), the keywords <c>obj</c>,
/// <c>stream</c> and <c>endstream</c>, and a stream dictionary's <c>/Type /ObjStm</c> and <c>/Filter</c>.
/// Long dangerous names are looked for everywhere, inside strings and raw stream data too (a reader that follows
/// the cross-reference table may parse objects there); two- and three-letter ones (<c>/JS</c>, <c>/XFA</c>) and
/// <c>/Encrypt</c> only where objects are, since random compressed bytes would match them now and then.
/// </summary>
internal sealed class PdfLexer(Stream file, bool nested, long inflateBudget, CancellationToken cancellationToken)
{
    private enum Mode
    {
        Objects,
        Comment,
        String,
        StreamData,
    }

    private enum FilterState
    {
        None,
        Value,
        Array,
    }

    private static ReadOnlySpan<byte> EndStream => "endstream"u8;

    private readonly byte[] name = new byte[64];
    private readonly byte[] keyword = new byte[16];
    private Mode mode = Mode.Objects;
    private int stringDepth;
    private bool escaped;
    private bool inName;
    private Mode nameMode;
    private int nameLength;
    private bool nameOverflow;
    private int hexState;
    private int hexHigh;
    private int keywordLength;
    private bool keywordOverflow;
    private FilterState filterState;
    private int flateFilters;
    private int otherFilters;
    private bool decodeParms;
    private bool objectStream;
    private long streamStart;
    private int endMatched;
    private string? problem;

    /// <summary>Bytes inflated out of object streams, this lexer and those it ran on them.</summary>
    public long Inflated { get; private set; }

    public string? Run(ByteReader reader)
    {
        int b;
        while (problem is null && (b = reader.ReadByte()) >= 0)
        {
            Name((byte)b);
            switch (mode)
            {
                case Mode.Comment:
                    mode = b is '\r' or '\n' ? Mode.Objects : Mode.Comment;
                    break;
                case Mode.String:
                    String((byte)b);
                    break;
                case Mode.StreamData:
                    StreamData((byte)b, reader);
                    break;
                default:
                    Objects((byte)b, reader);
                    break;
            }
        }

        // A stream that never ends hides the rest of the file from this scan (and from no reader that follows /Length).
        return problem ?? (mode == Mode.StreamData ? FileRejections.Damaged : null);
    }

    private void Objects(byte b, ByteReader reader)
    {
        if (inName)
        {
            EndKeyword(b, reader);
            return;
        }

        if (IsRegular(b))
        {
            if (keywordLength < keyword.Length)
            {
                keyword[keywordLength++] = b;
            }
            else
            {
                keywordOverflow = true;
            }

            return;
        }

        EndKeyword(b, reader);
        switch (b)
        {
            case (byte)'%':
                mode = Mode.Comment;
                break;
            case (byte)'(':
                mode = Mode.String;
                stringDepth = 1;
                filterState = FilterState.None;
                break;
            case (byte)'[':
                filterState = filterState == FilterState.Value ? FilterState.Array : filterState;
                break;
            case (byte)']':
                filterState = FilterState.None;
                break;
            case (byte)'<' or (byte)'{':
                filterState = filterState == FilterState.Value ? FilterState.None : filterState;
                break;
        }
    }

    private void EndKeyword(byte delimiter, ByteReader reader)
    {
        if (keywordLength == 0)
        {
            return;
        }

        var word = keyword.AsSpan(0, keywordLength);
        var overflow = keywordOverflow;
        keywordLength = 0;
        keywordOverflow = false;
        if (overflow)
        {
            return;
        }

        if (word.SequenceEqual("obj"u8) || word.SequenceEqual("endobj"u8))
        {
            ResetObject();
        }
        else if (word.SequenceEqual("stream"u8))
        {
            if (nested)
            {
                problem = FileRejections.CannotInspect; // an object stream cannot hold a stream
                return;
            }

            if (delimiter == '\r' && reader.PeekByte() == '\n')
            {
                reader.ReadByte();
            }

            mode = Mode.StreamData;
            streamStart = reader.Position;
            endMatched = 0;
        }
        else if (filterState == FilterState.Value && !IsNumber(word))
        {
            otherFilters += word.SequenceEqual("R"u8) ? 1 : 0; // an indirect filter: unknown, so not inflated
            filterState = FilterState.None;
        }
    }

    private void String(byte b)
    {
        if (escaped)
        {
            escaped = false;
        }
        else if (b == '\\')
        {
            escaped = true;
        }
        else if (b == '(')
        {
            stringDepth++;
        }
        else if (b == ')' && --stringDepth == 0)
        {
            mode = Mode.Objects;
        }
    }

    private void StreamData(byte b, ByteReader reader)
    {
        if (b == EndStream[endMatched])
        {
            if (++endMatched < EndStream.Length)
            {
                return;
            }
        }
        else
        {
            endMatched = b == EndStream[0] ? 1 : 0;
            return;
        }

        var end = reader.Position - EndStream.Length;
        mode = Mode.Objects;
        inName = false;
        if (objectStream)
        {
            InflateObjectStream(streamStart, end);
        }

        ResetObject();
    }

    private void InflateObjectStream(long start, long end)
    {
        if (flateFilters != 1 || otherFilters != 0 || decodeParms)
        {
            problem = FileRejections.CannotInspect; // a filter or predictor this scanner does not undo
            return;
        }

        try
        {
            using var data = new RangeStream(file, start, end - start);
            using var inflated = new ZLibStream(data, CompressionMode.Decompress);
            var reader = new ByteReader(inflated, cancellationToken, inflateBudget - Inflated);
            var inner = new PdfLexer(file, nested: true, 0, cancellationToken);
            problem = inner.Run(reader);
            Inflated += reader.Position;
            if (problem is null && reader.LimitReached)
            {
                problem = FileRejections.CannotInspect; // more inflated object streams than the budget allows
            }
        }
        catch (InvalidDataException)
        {
            problem = FileRejections.CannotInspect;
        }
    }

    /// <summary>Follows names through every mode, decoding #xx escapes, and reacts to each complete one.</summary>
    private void Name(byte b)
    {
        if (inName)
        {
            if (IsWhitespace(b) || IsDelimiter(b))
            {
                inName = false;
                OnName(nameOverflow ? [] : name.AsSpan(0, nameLength));
            }
            else if (hexState == 0 && b == '#')
            {
                hexState = 1;
            }
            else if (hexState == 1 && HexValue(b) is var high and >= 0)
            {
                hexHigh = high;
                hexState = 2;
            }
            else if (hexState == 2 && HexValue(b) is var low and >= 0)
            {
                AppendName((byte)((hexHigh << 4) | low));
                hexState = 0;
            }
            else
            {
                AppendName(b);
                hexState = 0;
            }
        }

        if (b == '/')
        {
            inName = true;
            nameMode = mode;
            nameLength = 0;
            nameOverflow = false;
            hexState = 0;
        }
    }

    private void AppendName(byte b)
    {
        if (nameLength < name.Length)
        {
            name[nameLength++] = b;
        }
        else
        {
            nameOverflow = true;
        }
    }

    private void OnName(ReadOnlySpan<byte> found)
    {
        if (PdfNames.Refusal(found, inObjects: nameMode == Mode.Objects) is { } refusal)
        {
            problem ??= refusal;
            return;
        }

        if (found.SequenceEqual("ObjStm"u8))
        {
            if (nested || nameMode != Mode.Objects)
            {
                problem ??= FileRejections.CannotInspect; // an object stream inside a stream's data: hidden from this scan
                return;
            }

            objectStream = true;
        }

        if (nameMode != Mode.Objects)
        {
            return;
        }

        if (filterState != FilterState.None)
        {
            if (found.SequenceEqual("FlateDecode"u8) || found.SequenceEqual("Fl"u8))
            {
                flateFilters++;
            }
            else
            {
                otherFilters++;
            }

            filterState = filterState == FilterState.Value ? FilterState.None : filterState;
        }

        if (found.SequenceEqual("Filter"u8))
        {
            filterState = FilterState.Value;
            flateFilters = 0;
            otherFilters = 0;
        }
        else if (found.SequenceEqual("DecodeParms"u8) || found.SequenceEqual("DP"u8))
        {
            decodeParms = true;
        }
    }

    private void ResetObject()
    {
        filterState = FilterState.None;
        flateFilters = 0;
        otherFilters = 0;
        decodeParms = false;
        objectStream = false;
    }

    private static bool IsWhitespace(byte b) => b is 0 or 9 or 10 or 12 or 13 or 32;

    private static bool IsDelimiter(byte b) => b is (byte)'(' or (byte)')' or (byte)'<' or (byte)'>' or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}' or (byte)'/' or (byte)'%';

    private static bool IsRegular(byte b) => !IsWhitespace(b) && !IsDelimiter(b);

    private static bool IsNumber(ReadOnlySpan<byte> word)
    {
        foreach (var b in word)
        {
            if (!(char.IsAsciiDigit((char)b) || b is (byte)'.' or (byte)'-' or (byte)'+'))
            {
                return false;
            }
        }

        return true;
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
