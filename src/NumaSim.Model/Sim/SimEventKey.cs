namespace NumaSim.Model.Sim;

/// <summary>The total order of events: time, then the sending component's id, then its sequence number.</summary>
public readonly record struct SimEventKey(long Time, int Source, long Sequence) : IComparable<SimEventKey>
{
    public int CompareTo(SimEventKey other)
    {
        var c = Time.CompareTo(other.Time);
        if (c != 0)
        {
            return c;
        }
        c = Source.CompareTo(other.Source);
        return c != 0 ? c : Sequence.CompareTo(other.Sequence);
    }
}
