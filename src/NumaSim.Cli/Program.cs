using NumaSim.Cli;

return await NumasimCommand.InvokeAsync(args).ConfigureAwait(false);
