package org.refusalscope.headless.commands;

import java.io.IOException;
import java.nio.file.Path;

import org.refusalscope.api.Strategy;
import org.refusalscope.api.StrategyRole;
import org.refusalscope.api.model.LanguageModel;
import org.refusalscope.api.model.LoadOptions;
import org.refusalscope.api.model.ModelBackend;
import org.refusalscope.core.models.ModelLocations;
import org.refusalscope.headless.CliContext;

/** Resolves {@code --model} and loads it with the first registered backend that understands the folder. */
public final class ModelOpener {

	private ModelOpener() {
	}

	public static LanguageModel open(CliContext context, String model) throws IOException {
		Path folder = ModelLocations.resolve(model);
		for(Strategy<?> strategy : context.registry().strategies(StrategyRole.MODEL_BACKEND)) {
			ModelBackend backend = (ModelBackend) strategy;
			if(backend.canLoad(folder)) {
				context.err().println("loading " + folder + " with backend " + backend.id());
				return backend.load(folder, LoadOptions.defaults());
			}
		}
		throw new IOException(folder.resolve("config.json") + ": no registered model backend supports this model "
				+ "(backends: " + context.registry().strategies(StrategyRole.MODEL_BACKEND).stream().map(Strategy::id).toList()
				+ ")");
	}
}
