package org.refusalscope.ui.parts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.di.Focus;
import org.eclipse.swt.SWT;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.refusalscope.api.StrategyRole;
import org.refusalscope.core.io.AtomicFiles;
import org.refusalscope.core.json.Json;
import org.refusalscope.core.pipeline.RunSettings;
import org.refusalscope.core.pipeline.RunSettings.StrategyChoice;
import org.refusalscope.core.registry.StrategyRegistry;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.advanced.MPerspective;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.refusalscope.ui.handlers.PerspectiveHandler;
import org.refusalscope.ui.model.DissectCommand;
import org.refusalscope.ui.model.OpenRun;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;

/**
 * Sets up a dissection run: model, SAEs, prompt files and one strategy per stage from the DS registry, with the
 * settings JSON of each. Saves and loads the same {@link RunSettings} JSON as {@code dissect --config} and shows the
 * equivalent command. Strategy lists are re-read from the registry on focus and on Refresh, so a strategy bundle
 * added to the product appears without rebuilding the workbench.
 */
public class RunSetupPart {

	private final Map<StrategyRole, StagePicker> pickers = new EnumMap<>(StrategyRole.class);
	private StrategyRegistry registry;
	private RunSettings base = RunSettings.defaults();
	private Text model;
	private Text sae;
	private PathField prompts;
	private PathField harmful;
	private PathField harmless;
	private Text ablateMode;
	private Text maxNewTokens;
	private Text seed;
	private Text command;
	private Label status;
	private Path savedConfig;
	private RunControl runControl;
	@Inject
	@Optional
	private OpenRun openRun;
	@Inject
	@Optional
	private MApplication application;

	@PostConstruct
	public void createControls(Composite parent) {
		parent.setLayout(new GridLayout(2, true));
		Composite inputs = column(parent);
		model = PathField.text(inputs, "Model folder (or 'default')", base.model(), true);
		sae = PathField.text(inputs, "SAEs (folder, release id, or 'default')", base.sae(), true);
		prompts = new PathField(inputs, "Prompts to dissect (json/csv/txt; empty = built-in)");
		harmful = new PathField(inputs, "Harmful prompts for the direction (empty = default)");
		harmless = new PathField(inputs, "Harmless prompts for the direction (empty = default)");
		ablateMode = PathField.text(inputs, "Ablation mode (zero, scale:C, set:C)", base.ablateMode(), false);
		maxNewTokens = PathField.text(inputs, "Max new tokens for verdicts", String.valueOf(base.maxNewTokens()), false);
		seed = PathField.text(inputs, "Seed", String.valueOf(base.seed()), false);
		Composite buttons = new Composite(inputs, SWT.NONE);
		buttons.setLayout(new GridLayout(2, false));
		button(buttons, "Refresh strategies", this::refreshStrategies);
		button(buttons, "Load configuration...", this::loadWithDialog);
		button(buttons, "Save configuration...", this::saveWithDialog);
		button(buttons, "Copy command", this::copyCommand);
		command = new Text(inputs, SWT.BORDER | SWT.READ_ONLY | SWT.WRAP | SWT.MULTI);
		command.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
		status = new Label(inputs, SWT.WRAP);
		status.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
		runControl = new RunControl(inputs, () -> new RunControl.Request(settings(), prompts.path(), harmful.path(), harmless.path()),
				this::showFinishedRun);
		Composite stages = column(parent);
		pickers.put(StrategyRole.DIRECTION_FINDER, new StagePicker(stages, "Direction finder", true));
		pickers.put(StrategyRole.FEATURE_COLLECTOR, new StagePicker(stages, "Feature collector", true));
		pickers.put(StrategyRole.PRUNING_STRATEGY, new StagePicker(stages, "Pruning strategy", true));
		pickers.put(StrategyRole.INTERACTION_MODEL, new StagePicker(stages, "Interaction model", true));
		pickers.put(StrategyRole.REFUSAL_JUDGE, new StagePicker(stages, "Verdict judge", false));
		refreshStrategies();
		show(base);
	}

	/** The registry comes from the OSGi service context; re-injected when it appears or changes. */
	@Inject
	@Optional
	public void setRegistry(StrategyRegistry strategyRegistry) {
		registry = strategyRegistry;
		if(!pickers.isEmpty()) {
			refreshStrategies();
		}
	}

	@Focus
	public void focus() {
		refreshStrategies();
	}

	public void refreshStrategies() {
		if(registry == null) {
			status.setText("The strategy registry is not available (is org.refusalscope.core started?).");
			return;
		}
		for(Map.Entry<StrategyRole, StagePicker> entry : pickers.entrySet()) {
			entry.getValue().setChoices(registry.describeAll().getOrDefault(entry.getKey(), List.of()));
		}
	}

	public StagePicker picker(StrategyRole role) {
		return pickers.get(role);
	}

	/** The run configuration the form describes (fields the form does not show are kept from the loaded one). */
	public RunSettings settings() {
		return new RunSettings(model.getText().strip(), sae.getText().strip(), choice(StrategyRole.DIRECTION_FINDER),
				choice(StrategyRole.FEATURE_COLLECTOR), choice(StrategyRole.PRUNING_STRATEGY),
				choice(StrategyRole.INTERACTION_MODEL), choice(StrategyRole.REFUSAL_JUDGE).id(), base.proxyThreshold(),
				ablateMode.getText().strip(), number("Max new tokens", maxNewTokens.getText()), (long) number("Seed", seed.getText()),
				base.maxBatch(), base.stage3(), base.redactCompletions());
	}

	/** Shows a configuration; null fields show the defaults. */
	public void show(RunSettings loaded) {
		base = loaded.withDefaults();
		model.setText(base.model());
		sae.setText(base.sae());
		ablateMode.setText(base.ablateMode());
		maxNewTokens.setText(String.valueOf(base.maxNewTokens()));
		seed.setText(String.valueOf(base.seed()));
		pickers.get(StrategyRole.DIRECTION_FINDER).select(base.direction());
		pickers.get(StrategyRole.FEATURE_COLLECTOR).select(base.collector());
		pickers.get(StrategyRole.PRUNING_STRATEGY).select(base.pruning());
		pickers.get(StrategyRole.INTERACTION_MODEL).select(base.interaction());
		pickers.get(StrategyRole.REFUSAL_JUDGE).select(StrategyChoice.of(base.judge()));
	}

	public void save(Path file) throws IOException {
		AtomicFiles.writeString(file, Json.write(settings()));
		savedConfig = file;
		command.setText(command());
		status.setText("Saved " + file);
	}

	public void load(Path file) throws IOException {
		show(Json.read(file, RunSettings.class));
		savedConfig = file;
		command.setText(command());
		status.setText("Loaded " + file);
	}

	/** The headless command for the saved configuration and the chosen prompt files. */
	public String command() {
		if(savedConfig == null) {
			throw new IllegalStateException("save the configuration first: the command reads it with --config");
		}
		return DissectCommand.of(savedConfig, prompts.path(), harmful.path(), harmless.path());
	}

	public RunControl runControl() {
		return runControl;
	}

	/** A finished run opens in the results perspective (when this part lives in the workbench). */
	private void showFinishedRun(Path dir) {
		if(openRun == null) {
			return;
		}
		try {
			openRun.open(dir);
			openRun.select(0);
			if(application != null) {
				EModelService models = application.getContext().get(EModelService.class);
				EPartService parts = application.getChildren().get(0).getContext().get(EPartService.class);
				if(models.find(PerspectiveHandler.RESULTS, application) instanceof MPerspective results) {
					parts.switchPerspective(results);
				}
			}
		} catch(IOException | RuntimeException e) {
			status.setText(e.getMessage());
		}
	}

	public Text commandText() {
		return command;
	}

	public PathField promptsField() {
		return prompts;
	}

	private void copyCommand() {
		try {
			if(savedConfig != null) {
				save(savedConfig);
			} else if(!saveWithDialog()) {
				return;
			}
			String text = command();
			Clipboard clipboard = new Clipboard(command.getDisplay());
			clipboard.setContents(new Object[]{text}, new Transfer[]{TextTransfer.getInstance()});
			clipboard.dispose();
			status.setText("Copied to the clipboard.");
		} catch(IOException | RuntimeException e) {
			status.setText(e.getMessage());
		}
	}

	private boolean saveWithDialog() {
		String chosen = dialog(SWT.SAVE, "Save run configuration");
		if(chosen == null) {
			return false;
		}
		try {
			save(Path.of(chosen));
			return true;
		} catch(IOException | RuntimeException e) {
			status.setText(chosen + ": " + e.getMessage());
			return false;
		}
	}

	private void loadWithDialog() {
		String chosen = dialog(SWT.OPEN, "Load run configuration");
		if(chosen != null) {
			try {
				load(Path.of(chosen));
			} catch(IOException | RuntimeException e) {
				status.setText(e.getMessage());
			}
		}
	}

	private String dialog(int style, String title) {
		FileDialog dialog = new FileDialog(command.getShell(), style);
		dialog.setText(title);
		dialog.setFilterExtensions(new String[]{"*.json", "*"});
		dialog.setOverwrite(true);
		return dialog.open();
	}

	private StrategyChoice choice(StrategyRole role) {
		return pickers.get(role).choice();
	}

	private static int number(String what, String text) {
		try {
			return Integer.parseInt(text.strip());
		} catch(NumberFormatException e) {
			throw new IllegalArgumentException(what + ": '" + text + "' is not a whole number", e);
		}
	}

	private static Composite column(Composite parent) {
		Composite column = new Composite(parent, SWT.NONE);
		column.setLayout(new GridLayout(1, false));
		column.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
		return column;
	}

	private static void button(Composite parent, String text, Runnable action) {
		Button button = new Button(parent, SWT.PUSH);
		button.setText(text);
		button.addListener(SWT.Selection, e -> action.run());
	}
}
