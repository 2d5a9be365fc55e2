using Akka.Configuration;

namespace NumaSim.Cluster.Serialization;

/// <summary>Binds <see cref="SimMessageSerializer"/> to the simulation's marker interface, in place of the default JSON.</summary>
public static class SerializationConfig
{
    public static Config Hocon { get; } = ConfigurationFactory.ParseString("""
        akka.actor {
          serializers {
            numasim = "NumaSim.Cluster.Serialization.SimMessageSerializer, NumaSim.Cluster"
          }
          serialization-bindings {
            "NumaSim.Actors.Messages.ISimMessage, NumaSim.Actors" = numasim
          }
        }
        """);
}
