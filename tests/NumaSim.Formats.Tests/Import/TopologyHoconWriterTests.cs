using NumaSim.Formats.Import;
using NumaSim.Formats.Tests.Support;

namespace NumaSim.Formats.Tests.Import;

public class TopologyHoconWriterTests
{
    [Fact]
    public void Imported_reference_machine_writes_the_loader_schema()
    {
        const string expected = """
            # Imported from /ref by numasim topology import
            numasim.topology {
              name = "imported"
              architecture = "x86_64"
              page-size = 4096
              nodes = [
                {
                  id = 0
                  cpus = "0-1"
                  zones = [
                    { type = "DMA", start-pfn = 1, spanned = 4095, present = 3998, managed = 3840,
                      watermarks { min = 52, low = 65, high = 78, promo = 91 } }
                    { type = "DMA32", start-pfn = 4096, spanned = 1044480, present = 782336, managed = 772808,
                      watermarks { min = 10569, low = 13211, high = 15853, promo = 18495 } }
                    { type = "Normal", start-pfn = 1048576, spanned = 5505024, present = 5505024, managed = 458752, in-use = 312136, pcp-pages = [3775, 4302],
                      watermarks { min = 6274, low = 7842, high = 9410, promo = 10978 } }
                  ]
                }
              ]
              distance = [[10]]
            }

            """;

        var text = TopologyHoconWriter.Write(ProcfsTopologyImporter.Import(RepositoryPaths.Reference), "/ref");

        Assert.Equal(expected.ReplaceLineEndings("\n"), text);
    }

    [Fact]
    public void Several_nodes_write_a_distance_row_each_and_empty_zone_lists()
    {
        var text = TopologyHoconWriter.Write(SyntheticMachine.Topology());

        Assert.StartsWith("# Imported by numasim topology import\n", text);
        Assert.Contains("  distance = [[10, 21, 30], [21, 10, 30], [30, 30, 10]]\n", text);
        Assert.Contains("      id = 2\n      cpus = \"\"\n      zones = [\n        { type = \"Movable\"", text);
    }
}
