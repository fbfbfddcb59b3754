namespace Appliance.Codecs.Amf0;

public enum Amf0Kind
{
    Number,
    Boolean,
    String,
    Object,
    Null,
    Undefined,
    EcmaArray,
    StrictArray,
    Date,
}
