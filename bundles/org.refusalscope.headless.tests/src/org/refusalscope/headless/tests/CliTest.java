package org.refusalscope.headless.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.refusalscope.api.StrategyRole;
import org.refusalscope.core.registry.StrategyRegistry;
import org.refusalscope.headless.Cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** Exit codes, messages and JSON output of the command line, run in OSGi with the real registry. */
class CliTest {

	record Outcome(int code, String out, String err) {
	}

	static Outcome run(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int code = Cli.run(args, CliTest::registry, new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	static StrategyRegistry registry() {
		BundleContext context = FrameworkUtil.getBundle(Cli.class).getBundleContext();
		ServiceTracker<StrategyRegistry, StrategyRegistry> tracker = new ServiceTracker<>(context,
				StrategyRegistry.class, null);
		tracker.open();
		try {
			StrategyRegistry registry = tracker.waitForService(TimeUnit.SECONDS.toMillis(20));
			assertNotNull(registry);
			return registry;
		} catch(InterruptedException e) {
			throw new AssertionError(e);
		}
	}

	@Test
	void helpListsSubcommandsAndExitsZero() {
		Outcome outcome = run("--help");
		assertEquals(0, outcome.code(), outcome.err());
		assertTrue(outcome.out().contains("strategies"), outcome.out());
	}

	@Test
	void noCommandIsUsageError() {
		Outcome outcome = run();
		assertEquals(Cli.EXIT_USAGE, outcome.code());
		assertTrue(outcome.err().contains("missing command"), outcome.err());
	}

	@Test
	void unknownSubcommandIsUsageErrorWithMessage() {
		Outcome outcome = run("dissekt");
		assertEquals(Cli.EXIT_USAGE, outcome.code());
		assertTrue(outcome.err().contains("dissekt"), outcome.err());
		assertTrue(outcome.out().isEmpty(), "nothing on stdout for errors");
	}

	@Test
	void unknownOptionIsUsageError() {
		Outcome outcome = run("strategies", "--jsn");
		assertEquals(Cli.EXIT_USAGE, outcome.code());
		assertTrue(outcome.err().contains("--jsn"), outcome.err());
	}

	@Test
	void strategiesJsonIsOneObjectWithEveryRole() {
		Outcome outcome = run("strategies", "--json");
		assertEquals(0, outcome.code(), outcome.err());
		JsonObject root = JsonParser.parseString(outcome.out()).getAsJsonObject();
		for(StrategyRole role : StrategyRole.values()) {
			assertTrue(root.has(role.id()), "missing role " + role.id());
		}
		JsonObject substring = root.getAsJsonArray("refusal-judge").asList().stream().map(e -> e.getAsJsonObject())
				.filter(o -> o.get("id").getAsString().equals("substring")).findFirst().orElseThrow();
		assertEquals("org.refusalscope.core", substring.get("bundle").getAsString());
		assertTrue(substring.getAsJsonObject("settings").has("phrases"));
	}

	@Test
	void strategiesTextListsRoles() {
		Outcome outcome = run("strategies");
		assertEquals(0, outcome.code());
		assertTrue(outcome.out().contains("prompt-source:") && outcome.out().contains("substring"), outcome.out());
	}
}
