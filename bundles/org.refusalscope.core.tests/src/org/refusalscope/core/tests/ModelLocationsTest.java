package org.refusalscope.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.refusalscope.core.models.ModelLocations;

class ModelLocationsTest {

	@Test
	void folderNeedsConfigJson(@TempDir Path dir) throws Exception {
		Path model = Files.createDirectories(dir.resolve("my-model"));
		IOException noConfig = assertThrows(IOException.class, () -> ModelLocations.resolve(model.toString()));
		assertTrue(noConfig.getMessage().contains("my-model") && noConfig.getMessage().contains("config.json"), noConfig
				.getMessage());
		IOException missing = assertThrows(IOException.class, () -> ModelLocations.resolve(dir.resolve("nope").toString()));
		assertTrue(missing.getMessage().contains("nope"), missing.getMessage());
		Files.writeString(model.resolve("config.json"), "{}");
		assertEquals(model, ModelLocations.resolve(model.toString()));
	}

	/** "default" finds the model folder inside the dir-shaped bundle, and says clearly when that bundle is absent. */
	@Test
	void defaultIsTheModelFolderOfTheDefaultModelBundle(@TempDir Path dir) throws Exception {
		BundleContext context = FrameworkUtil.getBundle(ModelLocations.class).getBundleContext();
		for(Bundle bundle : context.getBundles()) {
			// the shipped default model is not part of this test runtime
			assertTrue(!ModelLocations.DEFAULT_MODEL_BUNDLE.equals(bundle.getSymbolicName()));
		}
		IOException absent = assertThrows(IOException.class, () -> ModelLocations.resolve("default"));
		assertTrue(absent.getMessage().contains(ModelLocations.DEFAULT_MODEL_BUNDLE), absent.getMessage());
		Path bundleFolder = dir.resolve("org.refusalscope.model.default_0.1.0");
		Files.createDirectories(bundleFolder.resolve("META-INF"));
		Files.writeString(bundleFolder.resolve("META-INF/MANIFEST.MF"), "Manifest-Version: 1.0\nBundle-ManifestVersion: 2\n"
				+ "Bundle-SymbolicName: " + ModelLocations.DEFAULT_MODEL_BUNDLE + "\nBundle-Version: 0.1.0\n");
		Files.createDirectories(bundleFolder.resolve("model"));
		Files.writeString(bundleFolder.resolve("model/config.json"), "{\"model_type\":\"llama\"}");
		Bundle installed = context.installBundle("reference:" + bundleFolder.toUri());
		try {
			assertEquals(bundleFolder.resolve("model").toRealPath(), ModelLocations.resolve("default").toRealPath());
		} finally {
			installed.uninstall();
		}
	}
}
