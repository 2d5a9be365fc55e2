using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Event;
using NumaSim.Cluster.Security;

namespace NumaSim.Cluster.Tests.Security;

/// <summary>
/// Only a peer this process connected to and that showed another certificate says this member's certificate is not
/// the cluster's; a stranger knocking at this process's own port says nothing about it.
/// </summary>
public sealed class PeerCertificatesTests
{
    private static X509Certificate2 Certificate(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    [Fact]
    public void A_seed_showing_another_certificate_is_recorded_and_refused()
    {
        using var cluster = Certificate("cluster");
        using var stranger = Certificate("stranger");
        var peers = new PeerCertificates();
        var pinned = peers.Pinned(cluster.Thumbprint);

        Assert.True(pinned(cluster, null, "ssl.tcp://numasim@127.0.0.1:4053", SslPolicyErrors.RemoteCertificateChainErrors, NoLogger.Instance));
        Assert.False(peers.ForeignServer);
        Assert.False(pinned(stranger, null, "ssl.tcp://numasim@127.0.0.1:4053", SslPolicyErrors.RemoteCertificateChainErrors, NoLogger.Instance));
        Assert.True(peers.ForeignServer);
    }

    [Fact]
    public void A_stranger_connecting_to_this_process_is_refused_without_blaming_its_certificate()
    {
        using var cluster = Certificate("cluster");
        using var stranger = Certificate("stranger");
        var peers = new PeerCertificates();
        var pinned = peers.Pinned(cluster.Thumbprint);

        Assert.False(pinned(stranger, null, "[::ffff:127.0.0.1]:51660", SslPolicyErrors.RemoteCertificateChainErrors, NoLogger.Instance));
        Assert.False(pinned(null, null, "unknown", SslPolicyErrors.RemoteCertificateNotAvailable, NoLogger.Instance));
        Assert.False(peers.ForeignServer);
    }
}
