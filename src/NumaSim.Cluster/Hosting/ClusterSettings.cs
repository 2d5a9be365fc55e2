namespace NumaSim.Cluster.Hosting;

/// <summary>
/// How one process joins the cluster: its bind address (127.0.0.1 unless told otherwise; port 0
/// lets the system pick one), the seeds it joins (none: it is the seed and joins itself), its
/// roles, and the TLS certificate (null: plain TCP).
/// </summary>
public sealed record ClusterSettings(string Hostname, int Port, IReadOnlyList<string> SeedNodes, IReadOnlyList<string> Roles, TlsSettings? Tls)
{
    public const string SystemName = "numasim";

    public const string MemberRole = "member";

    public const string CoordinatorRole = "coordinator";

    public TimeSpan JoinTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The address others reach this process at, when it differs from the bind address (0.0.0.0 in a pod).</summary>
    public string? PublicHostname { get; init; }
}

/// <summary>A PKCS#12 file holding the cluster's certificate and key; only peers that present the same certificate are accepted.</summary>
public sealed record TlsSettings(string CertificatePath, string? Password);
