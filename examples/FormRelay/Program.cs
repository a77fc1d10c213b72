// The relay's entry point: settings from formrelay.settings.json, then the environment (FormRelay__SubmissionKey: the key lives there).
FormRelay.FormRelayApp.Build(args).Run();
