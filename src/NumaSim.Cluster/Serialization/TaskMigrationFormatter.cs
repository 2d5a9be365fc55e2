using MessagePack;
using MessagePack.Formatters;
using NumaSim.Actors.Messages;

namespace NumaSim.Cluster.Serialization;

/// <summary>
/// A migrating task carries its whole state (address space, page tables, generator) by reference.
/// It does not cross processes: placement keeps every task's CPUs on one member
/// (the cluster run rejects a placement that would need it), and this formatter
/// fails loudly rather than send a lossy copy.
/// </summary>
internal sealed class TaskMigrationFormatter : IMessagePackFormatter<TaskMigration?>
{
    public static TaskMigrationFormatter Instance { get; } = new();

    public void Serialize(ref MessagePackWriter writer, TaskMigration? value, MessagePackSerializerOptions options) =>
        throw new MessagePackSerializationException("a task cannot migrate between processes: place all of a task's CPUs on one member");

    public TaskMigration? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
        throw new MessagePackSerializationException("a task cannot migrate between processes");
}
