using Akka.Actor;
using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Model.Sim;

namespace NumaSim.Actors.Coordination;

/// <summary>One round: the plan goes to the nodes, their answers fold into the planner, and the next step is chosen.</summary>
public sealed partial class CoordinatorActor
{
    private void StartRound(RunClock run, IReadOnlyDictionary<int, long> plan)
    {
        var byNode = new SortedDictionary<int, (Dictionary<int, long> Until, Dictionary<int, long> Expected, Dictionary<int, long> Beyond)>();
        var limit = run.Limit(_scenario.MaxTimeNs);
        foreach (var (component, until) in plan)
        {
            var node = NodeOf(component);
            if (!byNode.TryGetValue(node, out var list))
            {
                byNode[node] = list = ([], [], []);
            }
            list.Until[component] = until;
            if (_countBatches && run.BatchesSent.TryGetValue(component, out var expected))
            {
                list.Expected[component] = expected;
            }
            if (run.Planner.Beyond.TryGetValue(component, out var beyond) && Math.Min(beyond, limit) > until)
            {
                list.Beyond[component] = Math.Min(beyond, limit);
            }
        }
        // A copy: messages are immutable, and nodes that finish early must not see the next round's views.
        var views = run.Views.ToArray();
        run.Round++;
        foreach (var (node, (until, expected, beyond)) in byNode)
        {
            _nodes[node].Tell(new RunRound(until, views) { Expected = expected, Round = run.Round, Beyond = beyond, SelfChain = run.Planner.SelfChain });
        }
        Running(run, byNode.Count);
    }

    /// <summary>The nodes run the round; with every node's answer, the round is folded and the next step chosen.</summary>
    private void Running(RunClock run, int nodes) =>
        Await<NodeDone>(nodes, answers =>
        {
            Fold(run, answers);
            AfterRound(run);
        });

    /// <summary>Every answer into the planner: first what each component holds, then what was sent to whom.</summary>
    private void Fold(RunClock run, List<NodeDone> answers)
    {
        var results = answers.OrderBy(r => r.Node).SelectMany(r => r.Components).ToList();
        foreach (var c in results)
        {
            if (c.Panic is not null && run.Panic is null)
            {
                run.Panic = c.Panic;
            }
            if (c.Fault is not null && run.Incomplete is null)
            {
                run.Incomplete = $"internal fault: {c.Fault}";
            }
            if (c.CausalityViolations > 0 && run.Incomplete is null)
            {
                run.Incomplete = $"internal fault: component {c.Component} received an event for a time it had already run past: {c.Violation}";
            }
            run.Planner.Ran(c.Component, c.NextEventTime, c.WorkloadFinished, c.Blocked, c.Reclaiming, c.Awaited, c.NextSend);
            run.Operations[c.Component] = c.Operations;
            if (c.View is { } view)
            {
                run.Views[c.Component] = view;
            }
        }
        foreach (var c in results)
        {
            foreach (var (destination, arrival) in c.Sent)
            {
                run.Planner.Sent(destination, arrival, c.Bookkeeping.Contains(destination));
                if (_countBatches)
                {
                    // Sent holds one entry per batch: one batch per destination per run.
                    run.BatchesSent[destination] = run.BatchesSent.GetValueOrDefault(destination) + 1;
                }
            }
        }
        if (run.BootSeconds < 0)
        {
            run.BootSeconds = _wall.Elapsed.TotalSeconds;
        }
        ReportProgress(run);
    }

    /// <summary>The run ends, pauses, or plans its next round and looks at the machine first when something is due.</summary>
    private void AfterRound(RunClock run)
    {
        var planner = run.Planner;
        var maxTime = _scenario.MaxTimeNs;
        var earliest = planner.EarliestEvent;
        if (_stopRequested is not null && run.Incomplete is null && !planner.AllFinished)
        {
            // Ctrl-C or SIGTERM: the run ends here, between rounds, and says why.
            run.Incomplete = _stopRequested;
        }
        if (run.Panic is not null || run.Incomplete is not null || planner.AllFinished || earliest == long.MaxValue || (maxTime > 0 && earliest >= maxTime))
        {
            if (run.Panic is null && run.Incomplete is null && !planner.AllFinished && earliest != long.MaxValue)
            {
                run.Incomplete = $"max-time {maxTime} ns reached before the workload finished";
            }
            BetweenRounds(run, new Dictionary<int, long>(), [Look.End]);
            return;
        }
        var plan = planner.Plan();
        run.RoundsSincePause++;
        if (run.Caller.Pause is { } pause && (earliest >= pause.AtNs || run.RoundsSincePause >= pause.Rounds))
        {
            BetweenRounds(run, plan, [Look.Pause]);
            return;
        }
        BetweenRounds(run, run.Clamp(plan, maxTime), DueLooks(earliest));
    }

    private void ReportProgress(RunClock run)
    {
        // The first round's report goes out at once (the boot is done), later ones at most four times a second.
        if (_progress is null || _wall.Elapsed - _lastProgress < TimeSpan.FromMilliseconds(250))
        {
            return;
        }
        _lastProgress = _wall.Elapsed;
        _plannedWork ??= PlannedWork.Of(_scenario);
        _progress(new SimProgress(run.Planner.EarliestEvent, run.Operations.Values.Sum(), run.Planner.Rounds, _wall.Elapsed)
        {
            Plan = _plannedWork,
            Boot = TimeSpan.FromSeconds(Math.Max(0, run.BootSeconds)),
        });
    }
}
