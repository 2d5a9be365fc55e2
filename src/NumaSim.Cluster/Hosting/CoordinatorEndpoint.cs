namespace NumaSim.Cluster.Hosting;

/// <summary>
/// Where the coordinator of a `--processes` run binds and whom it joins: by default 127.0.0.1 on
/// any port, the seed itself, starting its members as child processes; for members started by
/// hand (deploy/), a fixed address, maybe other seeds, and no children: it waits for them.
/// </summary>
public sealed record CoordinatorEndpoint(string Hostname, int Port, IReadOnlyList<string> SeedNodes, bool StartMembers)
{
    public static CoordinatorEndpoint Loopback { get; } = new("127.0.0.1", 0, [], true);

    public string? PublicHostname { get; init; }

    /// <summary>More arguments for the members this process starts (the run's tracing options: spans of one run from every process).</summary>
    public IReadOnlyList<string> MemberArguments { get; init; } = [];
}
