using System.Collections.Concurrent;
using MessagePack;

namespace NumaSim.Cluster.Serialization;

/// <summary>
/// Serializes a value whose type is known only at run time (a message by its manifest, a payload by its code)
/// through MessagePack's generic entry points. The non-generic ones (<c>MessagePackSerializer.Serialize(Type, ...)</c>)
/// compile a set of expression trees for every type on its first use: about 9 ms of CPU a type, measured, on the
/// rounds' critical path and in <see cref="SerializerWarmup"/>. A codec is a generic class over a reference type,
/// whose code the runtime shares across types and ReadyToRun has compiled ahead of time. The bytes are the same.
/// </summary>
internal abstract class TypedCodec
{
    private static readonly ConcurrentDictionary<Type, TypedCodec> Codecs = new();

    public static TypedCodec For(Type type) =>
        Codecs.GetOrAdd(type, t => (TypedCodec)Activator.CreateInstance(typeof(TypedCodec<>).MakeGenericType(t))!);

    public abstract byte[] ToBinary(object value, MessagePackSerializerOptions options);

    public abstract object? FromBinary(byte[] bytes, MessagePackSerializerOptions options);

    public abstract void Serialize(ref MessagePackWriter writer, object value, MessagePackSerializerOptions options);

    public abstract object? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options);
}

/// <summary>The codec of one type.</summary>
internal sealed class TypedCodec<T> : TypedCodec
{
    public override byte[] ToBinary(object value, MessagePackSerializerOptions options) => MessagePackSerializer.Serialize((T)value, options);

    public override object? FromBinary(byte[] bytes, MessagePackSerializerOptions options) => MessagePackSerializer.Deserialize<T>(bytes, options);

    public override void Serialize(ref MessagePackWriter writer, object value, MessagePackSerializerOptions options) =>
        MessagePackSerializer.Serialize(ref writer, (T)value, options);

    public override object? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
        MessagePackSerializer.Deserialize<T>(ref reader, options);
}
