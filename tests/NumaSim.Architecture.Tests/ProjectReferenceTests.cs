using System.Xml.Linq;

namespace NumaSim.Architecture.Tests;

/// <summary>
/// The compiler's half of the layering: a project that does not reference a layer, directly or through another,
/// cannot name its types. So the project files' reference graph, followed transitively, must stay inside
/// <see cref="Layers"/>.
/// </summary>
public sealed class ProjectReferenceTests
{
    public static TheoryData<string> Projects() => [.. Layers.MayReference.Keys];

    [Fact]
    public void Every_project_under_src_has_a_place_in_the_layers()
    {
        var onDisk = Directory.GetDirectories(Path.Combine(RepositoryPaths.Root, "src"))
            .Select(Path.GetFileName)
            .Where(name => File.Exists(RepositoryPaths.Project(name!)))
            .Order(StringComparer.Ordinal);

        Assert.Equal(Layers.MayReference.Keys.Order(StringComparer.Ordinal), onDisk);
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void A_project_reaches_only_the_layers_below_it(string project)
    {
        var reached = Reach(project).Where(p => p != project).Order(StringComparer.Ordinal).ToArray();

        var upward = reached.Intersect(Layers.Forbidden(project)).ToArray();
        Assert.True(upward.Length == 0, $"{project} references {string.Join(", ", upward)} (it reaches {string.Join(", ", reached)})");
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void A_project_without_Akka_has_no_Akka_package(string project)
    {
        if (!Layers.WithoutAkka.Contains(project))
        {
            return;
        }

        var akka = Reach(project).SelectMany(PackageReferences).Where(p => p.StartsWith("Akka", StringComparison.Ordinal)).ToArray();
        Assert.True(akka.Length == 0, $"{project} reaches {string.Join(", ", akka)}");
    }

    private static HashSet<string> Reach(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            if (seen.Add(next))
            {
                foreach (var referenced in ProjectReferences(next))
                {
                    pending.Push(referenced);
                }
            }
        }

        return seen;
    }

    private static IEnumerable<string> ProjectReferences(string project) =>
        Items(project, "ProjectReference").Select(path => Path.GetFileNameWithoutExtension(path.Replace('\\', '/')));

    private static IEnumerable<string> PackageReferences(string project) => Items(project, "PackageReference");

    private static IEnumerable<string> Items(string project, string kind) =>
        XDocument.Load(RepositoryPaths.Project(project)).Descendants(kind)
            .Select(item => (string?)item.Attribute("Include"))
            .OfType<string>();
}
