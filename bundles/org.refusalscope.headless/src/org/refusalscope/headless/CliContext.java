package org.refusalscope.headless;

import java.io.PrintStream;
import java.util.function.Supplier;

import org.refusalscope.core.registry.StrategyRegistry;

/** What every command needs: the registry (resolved on first use) and the output streams. */
public final class CliContext {

	private final Supplier<StrategyRegistry> registrySupplier;
	private StrategyRegistry registry;
	private final PrintStream out;
	private final PrintStream err;

	public CliContext(Supplier<StrategyRegistry> registry, PrintStream out, PrintStream err) {
		this.registrySupplier = registry;
		this.out = out;
		this.err = err;
	}

	public synchronized StrategyRegistry registry() {
		if(registry == null) {
			registry = registrySupplier.get();
		}
		return registry;
	}

	/** Standard output: results only (one JSON object with --json). */
	public PrintStream out() {
		return out;
	}

	/** Standard error: logs and progress. */
	public PrintStream err() {
		return err;
	}
}
