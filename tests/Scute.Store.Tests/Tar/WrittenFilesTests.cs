using Scute.Store.Tar;

namespace Scute.Store.Tests.Tar;

public sealed class WrittenFilesTests
{
    [Theory]
    [InlineData(1, 0UL)]
    [InlineData(2, 4090UL)] // crowded home slots at the end of the first table: runs wrap around
    [InlineData(3, ulong.MaxValue)]
    public void Adds_and_removes_answer_as_a_set_does(int seed, ulong crowdedLowBits)
    {
        var random = new Random(seed);
        var files = new WrittenFiles();
        var model = new HashSet<UInt128>();
        var known = new List<UInt128>();
        for (var op = 0; op < 60_000; op++)
        {
            // A quarter of the ids share a few home slots, so probing runs and their repair on removal are exercised.
            var low = random.Next(4) == 0 && crowdedLowBits != ulong.MaxValue ? crowdedLowBits + (ulong)random.Next(8) : (ulong)random.NextInt64();
            var id = random.Next(3) == 0 && known.Count > 0 ? known[random.Next(known.Count)] : new UInt128((ulong)random.NextInt64(1, long.MaxValue), low);
            known.Add(id);
            switch (random.Next(op < 40_000 ? 3 : 2))
            {
                case 0:
                    files.Remove(id);
                    model.Remove(id);
                    break;
                default:
                    files.Add(id);
                    model.Add(id);
                    break;
            }

            if (op % 97 == 0)
            {
                Assert.All(known.TakeLast(50), k => Assert.Equal(model.Contains(k), files.Contains(k)));
            }
        }

        Assert.Equal(model.Count, files.Count);
        Assert.All(known, k => Assert.Equal(model.Contains(k), files.Contains(k)));
        Assert.InRange(files.Capacity, model.Count * 4 / 3, model.Count * 8 + 4096);
    }

    [Fact]
    public void Ids_are_salted_per_extraction_and_never_zero()
    {
        var first = new WrittenFiles();
        var second = new WrittenFiles();
        Assert.Equal(first.Id("a/b"), first.Id("a/b"));
        Assert.NotEqual(first.Id("a/b"), second.Id("a/b"));
        Assert.NotEqual(first.Id("a/b"), first.Id("a/c"));
        Assert.NotEqual(UInt128.Zero, first.Id(""));
    }
}
