using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;

namespace NumaSim.Cluster.Security;

/// <summary>
/// The cluster's certificate pinned for every TLS handshake of one actor system, and what those handshakes met: whether
/// a process this one connected to presented another certificate. That, and only that, says that this process's
/// certificate is not the cluster's; a connection that closes during its handshake says nothing of the sort.
/// </summary>
public sealed class PeerCertificates
{
    private volatile bool _foreignServer;

    /// <summary>A peer this process connected to (a seed, a member) presented a certificate other than the cluster's.</summary>
    public bool ForeignServer => _foreignServer;

    public CertificateValidationCallback Pinned(string thumbprint)
    {
        var pinned = CertificateValidation.PinnedCertificate(thumbprint);
        return (X509Certificate2? certificate, X509Chain? chain, string peer, SslPolicyErrors errors, ILoggingAdapter log) =>
        {
            var accepted = pinned(certificate, chain, peer, errors, log);
            // Akka names the peer by its address ("ssl.tcp://...") on the connecting side, by its socket on the accepting side.
            if (!accepted && peer.Contains("://", StringComparison.Ordinal))
            {
                _foreignServer = true;
            }
            return accepted;
        };
    }
}
