using NumaSim.Formats.Proc;
using NumaSim.Formats.Tests.Support;

namespace NumaSim.Formats.Tests.Proc;

public class SlabinfoRendererTests
{
    [Fact]
    public void Reference_caches_render_byte_identical_to_the_real_slabinfo()
    {
        Assert.Equal(RepositoryPaths.ReadReference("slabinfo"), SlabinfoRenderer.Render(ReferenceMachine.Build()));
    }
}
