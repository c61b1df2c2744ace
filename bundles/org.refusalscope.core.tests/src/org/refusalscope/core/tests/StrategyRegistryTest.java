package org.refusalscope.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.refusalscope.api.Strategy;
import org.refusalscope.api.StrategyRole;
import org.refusalscope.api.judge.JudgeInput;
import org.refusalscope.api.judge.RefusalJudge;
import org.refusalscope.core.registry.StrategyDescriptor;
import org.refusalscope.core.registry.StrategyRegistry;
import org.refusalscope.core.tests.dynamic.ExampleJudge;

/** The DS whiteboard registry, including a strategy bundle installed while the framework runs. */
class StrategyRegistryTest {

	static StrategyRegistry registry() throws InterruptedException {
		BundleContext context = FrameworkUtil.getBundle(StrategyRegistry.class).getBundleContext();
		ServiceTracker<StrategyRegistry, StrategyRegistry> tracker = new ServiceTracker<>(context,
				StrategyRegistry.class, null);
		tracker.open();
		StrategyRegistry registry = tracker.waitForService(TimeUnit.SECONDS.toMillis(20));
		assertNotNull(registry, "StrategyRegistry service not registered by SCR");
		return registry;
	}

	@Test
	void listsTheCoreStrategiesByRole() throws Exception {
		StrategyRegistry registry = registry();
		assertEquals(List.of("csv", "json", "text"), ids(registry, StrategyRole.PROMPT_SOURCE));
		assertTrue(ids(registry, StrategyRole.REFUSAL_JUDGE).containsAll(List.of("refusal-score", "substring")));
		StrategyDescriptor substring = registry.describeAll().get(StrategyRole.REFUSAL_JUDGE).stream()
				.filter(d -> d.id().equals("substring")).findFirst().orElseThrow();
		assertEquals("org.refusalscope.core", substring.bundle());
		assertTrue(substring.settingsJson().contains("I'm sorry"), substring.settingsJson());
	}

	@Test
	void bundleInstalledAtRuntimeIsListedAndRemovedOnUninstall(@TempDir Path dir) throws Exception {
		StrategyRegistry registry = registry();
		assertFalse(ids(registry, StrategyRole.REFUSAL_JUDGE).contains("example-dynamic"));

		Path jar = writeExampleBundle(dir.resolve("org.refusalscope.example.judge.jar"));
		BundleContext context = FrameworkUtil.getBundle(StrategyRegistry.class).getBundleContext();
		Bundle bundle = context.installBundle(jar.toUri().toString());
		try {
			bundle.start();
			Strategy<?> added = waitFor(registry, "example-dynamic", true);
			assertEquals("org.refusalscope.example.judge", FrameworkUtil.getBundle(added.getClass()).getSymbolicName());
			@SuppressWarnings("unchecked")
			RefusalJudge<Object> judge = (RefusalJudge<Object>) added;
			assertTrue(judge.judge(new JudgeInput("p", "No way.", 0), null).refused());
		} finally {
			bundle.uninstall();
		}
		waitFor(registry, "example-dynamic", false);
	}

	private static Strategy<?> waitFor(StrategyRegistry registry, String id, boolean present) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while(System.nanoTime() < deadline) {
			var found = registry.find(StrategyRole.REFUSAL_JUDGE, id);
			if(found.isPresent() == present) {
				return found.orElse(null);
			}
			Thread.sleep(50);
		}
		throw new AssertionError("strategy " + id + (present ? " never appeared" : " never disappeared"));
	}

	private static List<String> ids(StrategyRegistry registry, StrategyRole role) {
		return registry.strategies(role).stream().map(Strategy::id).toList();
	}

	/** A real bundle: manifest, component XML and the compiled ExampleJudge class, nothing else. */
	private static Path writeExampleBundle(Path jar) throws IOException {
		Manifest manifest = new Manifest();
		Attributes main = manifest.getMainAttributes();
		main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
		main.putValue("Bundle-ManifestVersion", "2");
		main.putValue("Bundle-SymbolicName", "org.refusalscope.example.judge");
		main.putValue("Bundle-Version", "1.0.0");
		main.putValue("Import-Package", "org.refusalscope.api,org.refusalscope.api.judge");
		main.putValue("Service-Component", "OSGI-INF/example.xml");
		String className = ExampleJudge.class.getName();
		String component = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
				+ "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"" + className + "\">\n"
				+ "  <implementation class=\"" + className + "\"/>\n"
				+ "  <service><provide interface=\"" + RefusalJudge.class.getName() + "\"/></service>\n"
				+ "</scr:component>\n";
		String classPath = className.replace('.', '/') + ".class";
		byte[] classBytes;
		try(InputStream in = ExampleJudge.class.getClassLoader().getResourceAsStream(classPath)) {
			classBytes = in.readAllBytes();
		}
		try(JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
			out.putNextEntry(new JarEntry("OSGI-INF/example.xml"));
			out.write(component.getBytes(StandardCharsets.UTF_8));
			out.putNextEntry(new JarEntry(classPath));
			out.write(classBytes);
		}
		return jar;
	}
}
