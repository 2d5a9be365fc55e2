using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Remote.Transport.DotNetty;
using NumaSim.Actors.Coordination;
using NumaSim.Cluster.Security;
using NumaSim.Cluster.Serialization;

namespace NumaSim.Cluster.Hosting;

/// <summary>The actor-system setup of a cluster process: remoting, cluster, downing, serializer, TLS.</summary>
public static class ClusterConfig
{
    /// <param name="peers">Records what this system's TLS handshakes meet; null when nobody asks.</param>
    public static ActorSystem CreateSystem(ClusterSettings settings, PeerCertificates? peers = null)
    {
        var bootstrap = BootstrapSetup.Create().WithConfig(Build(settings));
        ActorSystemSetup setup = ActorSystemSetup.Create(bootstrap);
        if (settings.Tls is { } tls)
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(tls.CertificatePath, tls.Password, X509KeyStorageFlags.Exportable);
            // Pinned to the cluster's certificate: chain validation would refuse a throwaway
            // self-signed one, and suppressing it would let any certificate in.
            setup = bootstrap.And(new DotNettySslSetup(
                certificate,
                suppressValidation: false,
                requireMutualAuthentication: true,
                (peers ?? new PeerCertificates()).Pinned(certificate.Thumbprint)));
        }
        return ActorSystem.Create(ClusterSettings.SystemName, setup);
    }

    public static Config Build(ClusterSettings settings)
    {
        var seeds = string.Join(", ", settings.SeedNodes.Select(Quote));
        var roles = string.Join(", ", settings.Roles.Select(Quote));
        var joinSeconds = ((int)Math.Ceiling(settings.JoinTimeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var hocon = $$"""
            akka {
              actor.provider = cluster
              loggers = ["NumaSim.Cluster.Hosting.RunLogger, NumaSim.Cluster"]
              remote {
                log-remote-lifecycle-events = off
                dot-netty.tcp {
                  hostname = {{Quote(settings.Hostname)}}
                  public-hostname = {{Quote(settings.PublicHostname ?? settings.Hostname)}}
                  port = {{settings.Port.ToString(CultureInfo.InvariantCulture)}}
                  enable-ssl = {{(settings.Tls is null ? "false" : "true")}}
                  ssl {
                    suppress-validation = false
                    require-mutual-authentication = true
                  }
                  # Whole rounds' batches and final node states go in one message each.
                  maximum-frame-size = 64000000b
                  send-buffer-size = 4000000b
                  receive-buffer-size = 4000000b
                  # The simulation batches per window itself; DotNetty's write batching would hold a
                  # round's few messages up to its flush interval, and rounds are latency-bound.
                  batching.enabled = false
                }
              }
              cluster {
                seed-nodes = [{{seeds}}]
                roles = [{{roles}}]
                # A member that cannot reach its seeds gives up rather than hang.
                shutdown-after-unsuccessful-join-seed-nodes = {{joinSeconds}}s
                downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
                split-brain-resolver {
                  active-strategy = keep-majority
                  stable-after = 20s
                  down-all-when-unstable = on
                }
                # Two busy cores: a long GC or a heavy round must not look like a dead member,
                # yet a killed one is noticed in seconds (its TCP connection closes at once).
                failure-detector {
                  heartbeat-interval = 1s
                  acceptable-heartbeat-pause = 6s
                }
                run-coordinated-shutdown-when-down = on
                # A run's cluster is small and short-lived: converge in fractions of a second, not seconds.
                periodic-tasks-initial-delay = 100ms
                gossip-interval = 200ms
                leader-actions-interval = 200ms
                retry-unsuccessful-join-after = 1s
                log-info = off
              }
              coordinated-shutdown {
                exit-clr = off
                # The processes end their systems themselves, with short bounds; a hook at process
                # exit would block it for the full phase timeouts when a member is unreachable.
                run-by-clr-shutdown-hook = off
              }
            }
            """;
        return ConfigurationFactory.ParseString(hocon)
            .WithFallback(SerializationConfig.Hocon)
            .WithFallback(SimulationRunner.ActorSystemConfig);
    }

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
