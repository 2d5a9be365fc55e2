using System.Reflection;
using NetArchTest.Rules;

namespace NumaSim.Architecture.Tests;

/// <summary>
/// The types' half of the layering, read from the built assemblies: no type of a layer names a type of a layer
/// above it, nor (in the pure layers) an Akka type. This catches what project references cannot, e.g. a type
/// reached through an assembly a layer may see for another reason.
/// </summary>
public sealed class TypeDependencyTests
{
    // The command line is an executable on top of everything; nothing is checked for it here.
    public static TheoryData<string> Libraries() => [.. Layers.MayReference.Keys.Where(p => p != "NumaSim.Cli")];

    [Theory]
    [MemberData(nameof(Libraries))]
    public void No_type_names_a_layer_above_its_own(string project)
    {
        var result = Types.InAssembly(Assembly.Load(project))
            .ShouldNot().HaveDependencyOnAny(Layers.Forbidden(project))
            .GetResult();

        Assert.True(result.IsSuccessful, $"{project}: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void No_type_of_a_pure_layer_names_Akka(string project)
    {
        if (!Layers.WithoutAkka.Contains(project))
        {
            return;
        }

        var result = Types.InAssembly(Assembly.Load(project)).ShouldNot().HaveDependencyOn("Akka").GetResult();

        Assert.True(result.IsSuccessful, $"{project}: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void The_rule_sees_a_dependency_that_is_there()
    {
        // Guards the two tests above against passing vacuously (an empty assembly, a rule that matches nothing).
        var result = Types.InAssembly(Assembly.Load("NumaSim.Actors")).ShouldNot().HaveDependencyOn("NumaSim.Model").GetResult();

        Assert.False(result.IsSuccessful);
    }

    [Fact]
    public void The_model_holds_no_shapes_of_a_runs_result()
    {
        // Wall-clock times and the processes a run used are what summary.json reports of a run (NumaSim.Results),
        // not model state: no model type carries them.
        var model = Assembly.Load("NumaSim.Model").GetTypes();
        var offending = model
            .SelectMany(t => t.GetProperties().Select(p => (Type: t, Property: p.Name)))
            .Where(m => m.Property.Contains("Wall", StringComparison.Ordinal) || m.Property == "Members")
            .Select(m => $"{m.Type.Name}.{m.Property}")
            .ToList();

        Assert.Empty(offending);
        Assert.Contains(Assembly.Load("NumaSim.Results").GetTypes(), t => t.GetProperty("WallSeconds") is not null);
    }
}
