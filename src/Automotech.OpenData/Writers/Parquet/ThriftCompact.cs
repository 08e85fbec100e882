namespace Automotech.OpenData.Writers.Parquet;

/// <summary>
/// The Thrift compact protocol, write side only, for Parquet's page headers and footer
/// (<c>parquet.thrift</c> in the Apache Parquet format): structs of numbered fields, each with a
/// one-byte header holding the field's type and the delta from the previous field's number;
/// integers as zigzag varints; binary and strings as a varint length and the bytes; lists as a
/// header with their size and element type. Fields must be written in increasing number.
/// </summary>
internal sealed class ThriftCompact
{
    private const byte TypeTrue = 1;
    private const byte TypeFalse = 2;
    private const byte TypeI32 = 5;
    private const byte TypeI64 = 6;
    private const byte TypeBinary = 8;
    private const byte TypeList = 9;
    private const byte TypeStruct = 12;

    private readonly Stack<short> lastField = new();
    private readonly ByteBuffer buffer = new();
    private short last;

    public int Length => buffer.Length;

    public ReadOnlySpan<byte> Written => buffer.Written;

    public ReadOnlyMemory<byte> WrittenMemory => buffer.Memory;

    public void Clear()
    {
        buffer.Clear();
        last = 0;
        lastField.Clear();
    }

    public void I32(short field, int value)
    {
        Header(field, TypeI32);
        Varint(ZigZag(value));
    }

    public void I64(short field, long value)
    {
        Header(field, TypeI64);
        Varint(ZigZag(value));
    }

    public void Bool(short field, bool value) => Header(field, value ? TypeTrue : TypeFalse);

    public void Binary(short field, ReadOnlySpan<byte> value)
    {
        Header(field, TypeBinary);
        BinaryValue(value);
    }

    public void String(short field, string value) => Binary(field, System.Text.Encoding.UTF8.GetBytes(value));

    /// <summary>Starts a struct-typed field; its fields follow, then <see cref="EndStruct"/>.</summary>
    public void BeginStruct(short field)
    {
        Header(field, TypeStruct);
        BeginStructValue();
    }

    /// <summary>Starts a struct that is a list element (no field header).</summary>
    public void BeginStructValue()
    {
        lastField.Push(last);
        last = 0;
    }

    public void EndStruct()
    {
        Append(0); // stop
        last = lastField.Pop();
    }

    public void ListOfI32(short field, ReadOnlySpan<int> values)
    {
        ListHeader(field, TypeI32, values.Length);
        foreach (var value in values)
        {
            Varint(ZigZag(value));
        }
    }

    public void ListOfStrings(short field, IReadOnlyList<string> values)
    {
        ListHeader(field, TypeBinary, values.Count);
        foreach (var value in values)
        {
            BinaryValue(System.Text.Encoding.UTF8.GetBytes(value));
        }
    }

    /// <summary>Starts a list of structs: each element with <see cref="BeginStructValue"/> … <see cref="EndStruct"/>.</summary>
    public void ListOfStructs(short field, int count) => ListHeader(field, TypeStruct, count);

    /// <summary>Ends the outermost struct (the message itself).</summary>
    public void EndMessage() => Append(0);

    private void ListHeader(short field, byte elementType, int count)
    {
        Header(field, TypeList);
        if (count < 15)
        {
            Append((byte)((count << 4) | elementType));
        }
        else
        {
            Append((byte)(0xF0 | elementType));
            Varint((uint)count);
        }
    }

    private void BinaryValue(ReadOnlySpan<byte> value)
    {
        Varint((uint)value.Length);
        buffer.Append(value);
    }

    private void Header(short field, byte type)
    {
        var delta = field - last;
        if (delta is > 0 and <= 15)
        {
            Append((byte)((delta << 4) | type));
        }
        else
        {
            Append(type);
            Varint(ZigZag((int)field));
        }

        last = field;
    }

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private static uint ZigZag(int value) => (uint)((value << 1) ^ (value >> 31));

    private void Varint(ulong value) => buffer.Varint(value);

    private void Append(byte value) => buffer.Append(value);
}
