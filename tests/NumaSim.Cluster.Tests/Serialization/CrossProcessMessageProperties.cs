using FsCheck;
using FsCheck.Fluent;
using NumaSim.Actors.Messages;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sim;

namespace NumaSim.Cluster.Tests.Serialization;

/// <summary>
/// Every message of the window protocol and every payload that crosses processes, generated at
/// random, comes back from the serializer carrying the same values (its re-serialization is the
/// same bytes, and the fields checked here are equal).
/// </summary>
public sealed class CrossProcessMessageProperties(SerializerFixture fixture) : IClassFixture<SerializerFixture>
{
    private static readonly Gen<long> Times = Gen.Choose(0, int.MaxValue).Select(t => (long)t * 7);

    private static readonly Gen<long[]> Pfns = Times.ArrayOf();

    private static readonly Gen<ZoneRequest> Requests =
        from zone in Gen.Choose(0, 40)
        from order in Gen.Choose(0, 10)
        from type in Gen.Elements(Enum.GetValues<MigrateType>())
        from count in Gen.Choose(1, 512)
        from flags in Gen.Choose(0, 255)
        from highest in Gen.Choose(0, 4)
        select new ZoneRequest(zone, order, type, count, (AllocFlags)flags, highest);

    private static readonly Gen<ISimPayload> Payloads = Gen.OneOf(
        from cpu in Gen.Choose(0, 1023)
        from request in Requests
        from reply in Gen.Choose(0, 3 << 20)
        select (ISimPayload)new ZoneAllocRequest(cpu, request, reply),
        from zone in Gen.Choose(0, 40)
        from pfns in Pfns
        select (ISimPayload)new ZoneAllocReply(zone, pfns),
        from cpu in Gen.Choose(0, 1023)
        from blocks in (from pfn in Times from order in Gen.Choose(0, 10) select (pfn, order)).ArrayOf()
        select (ISimPayload)new ZoneFreeBlocks(cpu, blocks),
        from cpu in Gen.Choose(0, 1023)
        from mm in Gen.Choose(0, 100)
        from pages in Pfns
        from reply in Gen.Choose(0, 3 << 20)
        select (ISimPayload)new TlbShootdown(cpu, mm, pages, reply),
        from cpu in Gen.Choose(0, 1023)
        from mm in Gen.Choose(0, 100)
        from n in Gen.Choose(0, 1000)
        select (ISimPayload)new TlbShootdownAck(cpu, mm, n));

    private static readonly Gen<SimEnvelope> Envelopes =
        from destination in Gen.Choose(0, 3 << 20)
        from time in Times
        from source in Gen.Choose(0, 3 << 20)
        from sequence in Gen.Choose(0, int.MaxValue)
        from payload in Payloads
        select new SimEnvelope(destination, new SimEventKey(time, source, sequence), payload);

    private static readonly Gen<ZoneFreeView> Views =
        from free in Times
        from orders in Gen.Choose(0, 2047)
        from atomic in Gen.Choose(0, 2047)
        from reserved in Gen.Choose(0, 4096)
        select new ZoneFreeView(free, orders, atomic, reserved);

    private static readonly Gen<Dictionary<int, long>> Untils =
        (from id in Gen.Choose(0, 3 << 20) from t in Times select (id, t)).ListOf()
        .Select(pairs => pairs.DistinctBy(p => p.id).ToDictionary(p => p.id, p => p.t));

    private static readonly Gen<ComponentDone> Dones =
        from component in Gen.Choose(0, 3 << 20)
        from next in Gen.Frequency((1, Gen.Constant(long.MaxValue)), (3, Times))
        from finished in ArbMap.Default.GeneratorFor<bool>()
        from ops in Times
        from view in Gen.Frequency((1, Gen.Constant((ZoneFreeView?)null)), (1, Views.Select(v => (ZoneFreeView?)v)))
        from sent in (from d in Gen.Choose(0, 3 << 20) from t in Times select (d, t)).ArrayOf()
        from blocked in ArbMap.Default.GeneratorFor<bool>()
        from violations in Gen.Choose(0, 3)
        select new ComponentDone(component, next, finished, ops, view, sent, blocked)
        {
            CausalityViolations = violations,
            Violation = violations > 0 ? $"late by {violations}" : null,
            Panic = violations > 2 ? "Kernel panic - not syncing: test" : null,
        };

    [Fact]
    public void Event_batches_of_every_payload_round_trip() =>
        Prop.ForAll((from e in Envelopes.ListOf() from round in Times select new EventBatch([.. e]) { Round = round }).ToArbitrary(), batch =>
        {
            var (_, back, again) = CheckBytes(batch);
            Assert.Equal(batch.Round, Assert.IsType<EventBatch>(back).Round);
            var events = Assert.IsType<EventBatch>(back).Events;
            Assert.Equal(batch.Events.Count, events.Count);
            for (var i = 0; i < events.Count; i++)
            {
                Assert.Equal(batch.Events[i].Destination, events[i].Destination);
                Assert.Equal(batch.Events[i].Key, events[i].Key);
                Assert.Equal(batch.Events[i].Payload.GetType(), events[i].Payload.GetType());
            }
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Relayed_batches_round_trip_each_batch_with_its_round_and_events() =>
        Prop.ForAll(
            (from batches in (from e in Envelopes.NonEmptyListOf() from round in Times select new EventBatch([.. e]) { Round = round }).ListOf() select new RelayedBatches([.. batches])).ToArbitrary(),
            relayed =>
            {
                var back = Assert.IsType<RelayedBatches>(CheckBytes(relayed).Back);
                Assert.Equal(relayed.Batches.Select(b => b.Round), back.Batches.Select(b => b.Round));
                Assert.Equal(relayed.Batches.Select(b => b.Events.Select(e => (e.Destination, e.Key))), back.Batches.Select(b => b.Events.Select(e => (e.Destination, e.Key))));
            }).QuickCheckThrowOnFailure();

    [Fact]
    public void Rounds_and_windows_round_trip() =>
        Prop.ForAll(
            (from until in Untils from views in Views.ArrayOf() from expected in Untils from round in Times select new RunRound(until, views) { Expected = expected, Round = round }).ToArbitrary(),
            round =>
            {
                var back = Assert.IsType<RunRound>(CheckBytes(round).Back);
                Assert.Equal(round.Until.OrderBy(kv => kv.Key), back.Until.OrderBy(kv => kv.Key));
                Assert.Equal(round.Expected.OrderBy(kv => kv.Key), back.Expected.OrderBy(kv => kv.Key));
                Assert.Equal(round.Views, back.Views);
                Assert.Equal(round.Round, back.Round);
            }).QuickCheckThrowOnFailure();

    [Fact]
    public void Window_requests_round_trip() =>
        Prop.ForAll(
            (from until in Times from views in Views.ArrayOf() from expected in Times from round in Times select new RunWindow(until, views) { ExpectedBatches = expected, Round = round }).ToArbitrary(),
            window =>
            {
                var back = Assert.IsType<RunWindow>(CheckBytes(window).Back);
                Assert.Equal(window.Until, back.Until);
                Assert.Equal(window.ExpectedBatches, back.ExpectedBatches);
                Assert.Equal(window.Round, back.Round);
                Assert.Equal(window.Views, back.Views);
            }).QuickCheckThrowOnFailure();

    [Fact]
    public void Component_and_node_answers_round_trip() =>
        Prop.ForAll(
            (from node in Gen.Choose(0, 63) from dones in Dones.ListOf() select new NodeDone(node, [.. dones])).ToArbitrary(),
            done =>
            {
                var back = Assert.IsType<NodeDone>(CheckBytes(done).Back);
                Assert.Equal(done.Node, back.Node);
                Assert.Equal(done.Components.Count, back.Components.Count);
                for (var i = 0; i < back.Components.Count; i++)
                {
                    var (a, b) = (done.Components[i], back.Components[i]);
                    Assert.Equal(a with { Sent = [] }, b with { Sent = [] });
                    Assert.Equal(a.Sent, b.Sent);
                }
            }).QuickCheckThrowOnFailure();

    private (byte[] Bytes, object Back, byte[] Again) CheckBytes(object message)
    {
        var trip = fixture.RoundTrip(message);
        Assert.Equal(trip.Bytes, trip.Again);
        return trip;
    }
}
