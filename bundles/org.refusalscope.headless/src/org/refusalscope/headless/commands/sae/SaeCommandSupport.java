package org.refusalscope.headless.commands.sae;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.refusalscope.api.Strategy;
import org.refusalscope.api.StrategyRole;
import org.refusalscope.api.prompts.Prompt;
import org.refusalscope.api.sae.SaeLoadOptions;
import org.refusalscope.api.sae.SaeProvider;
import org.refusalscope.api.sae.SparseAutoencoder;
import org.refusalscope.core.prompts.PromptFiles;
import org.refusalscope.headless.CliContext;
import org.refusalscope.sae.SaeProviders;

/** Shared by the SAE commands: prompt files, SAE loading through the registered providers, OSGi services. */
final class SaeCommandSupport {

	private SaeCommandSupport() {
	}

	static List<String> readPrompts(CliContext context, List<Path> files) throws IOException {
		List<String> texts = new ArrayList<>();
		for(Path file : files) {
			for(Prompt prompt : PromptFiles.read(file, context.registry().strategies(StrategyRole.PROMPT_SOURCE))) {
				texts.add(prompt.text());
			}
		}
		if(texts.isEmpty()) {
			throw new IOException(files + ": no prompts");
		}
		return texts;
	}

	static List<SaeProvider> providers(CliContext context) {
		List<SaeProvider> providers = new ArrayList<>();
		for(Strategy<?> strategy : context.registry().strategies(StrategyRole.SAE_PROVIDER)) {
			providers.add((SaeProvider) strategy);
		}
		return providers;
	}

	static List<SparseAutoencoder> loadSaes(CliContext context, Path location, int dModel, int layer) throws IOException {
		List<SparseAutoencoder> saes = SaeProviders.load(providers(context), location, new SaeLoadOptions(dModel, layer));
		context.err().println("SAE " + location + ": " + saes.size() + " layer(s) " + saes.stream().map(s -> s.info().layer()).toList()
				+ " (" + saes.get(0).info().format() + ")");
		return saes;
	}

	/** An OSGi service the registry does not list (not a Strategy), waited for briefly while DS starts it. */
	static <T> T service(Class<T> type) {
		BundleContext bundleContext = FrameworkUtil.getBundle(SaeCommandSupport.class).getBundleContext();
		ServiceTracker<T, T> tracker = new ServiceTracker<>(bundleContext, type, null);
		tracker.open();
		try {
			T service = tracker.waitForService(TimeUnit.SECONDS.toMillis(20));
			if(service == null) {
				throw new IllegalStateException("no " + type.getSimpleName() + " service is registered (is org.refusalscope.model.djl installed?)");
			}
			return service;
		} catch(InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for " + type.getSimpleName(), e);
		}
	}
}
