namespace Downloader.Core;

/// <summary>What to do when the destination file already exists.</summary>
public enum ExistingFilePolicy
{
    /// <summary>Skip it when the server says it is unchanged (304); otherwise save under "name (1).ext".</summary>
    SkipOrRename,

    /// <summary>Replace it.</summary>
    Overwrite,

    /// <summary>Fail the item.</summary>
    Fail,
}
