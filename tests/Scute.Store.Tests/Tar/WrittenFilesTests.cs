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
            // Ids keep their low bit clear (WrittenFiles uses it); the home slot is the bits above it.
            var id = random.Next(3) == 0 && known.Count > 0 ? known[random.Next(known.Count)] : new UInt128((ulong)random.NextInt64(1, long.MaxValue), low << 1);
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

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void With_every_name_it_tells_new_names_from_known_ones_and_files_from_other_names(int seed)
    {
        var random = new Random(seed);
        var names = new WrittenFiles(everyName: true);
        var model = new Dictionary<UInt128, bool>(); // name -> is a regular file
        var known = new List<UInt128>();
        for (var op = 0; op < 40_000; op++)
        {
            var id = random.Next(3) == 0 && known.Count > 0 ? known[random.Next(known.Count)] : names.Id($"p/{random.Next()}");
            known.Add(id);
            switch (random.Next(3))
            {
                case 0:
                    Assert.Equal(!model.ContainsKey(id), names.TryAddName(id));
                    model.TryAdd(id, false);
                    break;
                case 1:
                    names.Add(id);
                    model[id] = true;
                    break;
                default:
                    names.Remove(id);
                    if (model.ContainsKey(id))
                    {
                        model[id] = false;
                    }

                    break;
            }
        }

        Assert.Equal(model.Count, names.Count);
        Assert.All(known, k => Assert.Equal(model.GetValueOrDefault(k), names.Contains(k)));
        Assert.All(model.Keys, k => Assert.False(names.TryAddName(k)));
    }

    [Fact]
    public void Without_every_name_it_keeps_regular_files_only_and_refuses_ids_it_did_not_make()
    {
        var files = new WrittenFiles();
        Assert.Throws<InvalidOperationException>(() => files.TryAddName(files.Id("a")));
        Assert.Throws<ArgumentException>(() => files.Add(UInt128.One));
        Assert.Throws<ArgumentException>(() => files.Contains(UInt128.Zero));
        files.Add(files.Id("a"));
        files.Remove(files.Id("a"));
        Assert.Equal(0, files.Count);
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
        Assert.All(Enumerable.Range(0, 1000), i => Assert.Equal(UInt128.Zero, first.Id($"f{i}") & UInt128.One));
    }
}
