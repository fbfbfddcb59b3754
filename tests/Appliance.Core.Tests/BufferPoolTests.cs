using Appliance.Core.Buffers;

namespace Appliance.Core.Tests;

public class BufferPoolTests
{
    [Theory]
    [InlineData(0, 256)]
    [InlineData(1, 256)]
    [InlineData(256, 256)]
    [InlineData(257, 512)]
    [InlineData(4096, 4096)]
    [InlineData(4097, 8192)]
    public void Rent_rounds_up_to_its_size_class(int size, int capacity)
    {
        var pool = new BufferPool(1 << 20);
        var buffer = pool.Rent(size);
        Assert.Equal(capacity, buffer.Capacity);
        buffer.Release();
    }

    [Fact]
    public void A_released_buffer_is_reused_and_outstanding_count_returns_to_zero()
    {
        var pool = new BufferPool(1 << 20);
        var first = pool.Rent(1000);
        first.AddRef();
        first.Release();
        Assert.Equal(1, pool.Outstanding);
        first.Release();
        Assert.Equal(0, pool.Outstanding);
        var second = pool.Rent(900);
        Assert.Same(first, second);
        Assert.Equal(0, second.Length);
        second.Release();
    }

    [Fact]
    public void Oversized_requests_are_served_unpooled()
    {
        var pool = new BufferPool(1 << 20);
        var big = pool.Rent(BufferPool.MaxClassSize + 1);
        Assert.Equal(BufferPool.MaxClassSize + 1, big.Capacity);
        big.Release();
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void Releasing_twice_throws()
    {
        var pool = new BufferPool(1 << 20);
        var buffer = pool.Rent(10);
        buffer.Release();
        Assert.Throws<InvalidOperationException>(buffer.Release);
    }

    [Fact]
    public void CopyOf_holds_the_bytes()
    {
        var buffer = SharedBuffer.CopyOf([1, 2, 3]);
        Assert.Equal(new byte[] { 1, 2, 3 }, buffer.Span.ToArray());
        buffer.Release();
    }
}
