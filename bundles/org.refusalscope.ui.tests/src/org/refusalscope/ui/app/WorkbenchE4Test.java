package org.refusalscope.ui.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.Platform;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.advanced.MPerspective;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.swt.widgets.Display;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.refusalscope.api.StrategyRole;
import org.refusalscope.core.registry.StrategyDescriptor;
import org.refusalscope.core.registry.StrategyRegistry;
import org.refusalscope.ui.charts.InteractionHeatMapPart;
import org.refusalscope.ui.charts.MainEffectsPart;
import org.refusalscope.ui.handlers.PerspectiveHandler;
import org.refusalscope.ui.model.OpenRun;
import org.refusalscope.ui.parts.PromptTablePart;
import org.refusalscope.ui.parts.RunSetupPart;
import org.refusalscope.ui.testing.RunFixtures;
import org.refusalscope.ui.testing.UiTestSupport;

/**
 * Starts the real e4 application (E4Application with Application.e4xmi and the LifeCycle) inside the test runtime,
 * opens a run in it, waits until the charts have drawn, checks the parts the model created, switches to the run
 * set-up perspective (strategy registry injected from the OSGi service context) and closes the workbench.
 */
class WorkbenchE4Test {

	static final long TIMEOUT_MS = 300_000;
	@TempDir
	Path dir;
	private final Map<String, Object> seen = new LinkedHashMap<>();
	private final List<Throwable> failures = new ArrayList<>();

	@Test
	void applicationModelShowsARunAndTheSetUpPerspective() throws Exception {
		Display display = UiTestSupport.display();
		Path run = RunFixtures.writeRun(dir.resolve("run"));
		BundleContext bundles = FrameworkUtil.getBundle(OpenRun.class).getBundleContext();
		IWorkbench[] workbench = new IWorkbench[1];
		List<BooleanSupplier> steps = new ArrayList<>();
		steps.add(() -> {
			ServiceReference<IWorkbench> reference = bundles.getServiceReference(IWorkbench.class);
			workbench[0] = reference == null ? null : bundles.getService(reference);
			return workbench[0] != null && workbench[0].getApplication().getChildren().get(0).getWidget() != null;
		});
		steps.add(() -> {
			OpenRun openRun = workbench[0].getApplication().getContext().get(OpenRun.class);
			seen.put("openRun", openRun);
			try {
				openRun.open(run);
			} catch(java.io.IOException e) {
				throw new IllegalStateException(e);
			}
			openRun.select(0);
			return true;
		});
		steps.add(() -> ((OpenRun) seen.get("openRun")).drawLog().allDrawn());
		steps.add(() -> {
			MApplication application = workbench[0].getApplication();
			EModelService models = application.getContext().get(EModelService.class);
			seen.put("prompts", ((PromptTablePart) part(models, application, "org.refusalscope.ui.part.prompts")).table().getItemCount());
			seen.put("effects", ((MainEffectsPart) part(models, application, "org.refusalscope.ui.part.effects")).chart().getSeriesSet()
					.getSeries().length);
			seen.put("heatmap", ((InteractionHeatMapPart) part(models, application, "org.refusalscope.ui.part.heatmap")).features().size());
			EPartService parts = application.getChildren().get(0).getContext().get(EPartService.class);
			parts.switchPerspective((MPerspective) models.find(PerspectiveHandler.SETUP, application));
			return true;
		});
		steps.add(() -> {
			MApplication application = workbench[0].getApplication();
			Object setup = part(application.getContext().get(EModelService.class), application, "org.refusalscope.ui.part.setup");
			if(setup == null) {
				return false;
			}
			seen.put("judges", ((RunSetupPart) setup).picker(StrategyRole.REFUSAL_JUDGE).listedIds());
			workbench[0].close();
			return true;
		});
		long deadline = System.currentTimeMillis() + TIMEOUT_MS;
		display.timerExec(100, new Runnable() {

			@Override
			public void run() {
				try {
					while(!steps.isEmpty() && steps.get(0).getAsBoolean()) {
						steps.remove(0);
					}
				} catch(RuntimeException | AssertionError e) {
					failures.add(e);
					steps.clear();
				}
				if(steps.isEmpty() && !failures.isEmpty() || !steps.isEmpty() && System.currentTimeMillis() > deadline) {
					failures.add(new AssertionError("workbench steps left undone: " + steps.size()));
					steps.clear();
					if(workbench[0] != null) {
						workbench[0].close();
					}
					return;
				}
				if(!steps.isEmpty()) {
					display.timerExec(100, this);
				}
			}
		});
		Object exit = e4Application().start(new TestApplicationContext(new String[]{"-applicationXMI", "org.refusalscope.ui/Application.e4xmi",
				"-lifeCycleURI", "bundleclass://org.refusalscope.ui/org.refusalscope.ui.app.LifeCycle", "-clearPersistedState",
				"-persistState", "false"}));
		if(!failures.isEmpty()) {
			throw new AssertionError("workbench test failed: " + failures, failures.get(0));
		}
		assertEquals(IApplication.EXIT_OK, exit);
		assertEquals(3, seen.get("prompts"));
		assertEquals(2, seen.get("effects"), "main effects and hydra series");
		assertEquals(5, seen.get("heatmap"));
		StrategyRegistry registry = bundles.getService(bundles.getServiceReference(StrategyRegistry.class));
		assertNotNull(registry);
		assertFalse(((List<?>) seen.get("judges")).isEmpty(), "the core's judges are DS components");
		assertEquals(registry.describeAll().get(StrategyRole.REFUSAL_JUDGE).stream().map(StrategyDescriptor::id).toList(),
				seen.get("judges"));
	}

	private static Object part(EModelService models, MApplication application, String id) {
		return models.find(id, application) instanceof MPart part ? part.getObject() : null;
	}

	private static IApplication e4Application() throws Exception {
		for(IConfigurationElement element : Platform.getExtensionRegistry().getConfigurationElementsFor("org.eclipse.core.runtime.applications")) {
			if("org.eclipse.e4.ui.workbench.swt.E4Application".equals(element.getDeclaringExtension().getUniqueIdentifier())) {
				return (IApplication) element.getChildren("run")[0].createExecutableExtension("class");
			}
		}
		throw new AssertionError("E4Application not in the test runtime");
	}
}
