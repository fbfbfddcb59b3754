using Appliance.Transport.Files;

namespace Appliance.Transport.Tests;

public class MemoryFileTests
{
    [Fact]
    public void Appended_bytes_are_readable_through_the_mapping_once_complete()
    {
        using var writer = MemoryFileWriter.Create("test");
        writer.Append([1, 2, 3]);
        writer.Append([4, 5]);

        var file = writer.Complete();

        Assert.Equal(5, file.Length);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, file.Memory.ToArray());
        Assert.True(file.FileDescriptor >= 0);
        file.Release();
    }

    [Fact]
    public void An_empty_file_completes_with_no_mapping()
    {
        using var writer = MemoryFileWriter.Create("empty");
        var file = writer.Complete();

        Assert.Equal(0, file.Length);
        Assert.True(file.Memory.IsEmpty);
        file.Release();
    }

    [Fact]
    public void A_completed_writer_refuses_more_bytes()
    {
        using var writer = MemoryFileWriter.Create("spent");
        writer.Complete().Release();

        Assert.Throws<ObjectDisposedException>(() => writer.Append([1]));
    }

    [Fact]
    public void A_freed_file_cannot_be_pinned_again()
    {
        using var writer = MemoryFileWriter.Create("pin");
        writer.Append([9]);
        var file = writer.Complete();
        Assert.True(file.TryAddRef());
        file.Release();
        file.Release();

        Assert.False(file.TryAddRef());
        Assert.Throws<InvalidOperationException>(file.Release);
    }
}
