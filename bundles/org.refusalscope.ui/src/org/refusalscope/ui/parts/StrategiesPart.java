package org.refusalscope.ui.parts;

import java.util.List;
import java.util.Map;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeColumn;
import org.eclipse.swt.widgets.TreeItem;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.refusalscope.api.StrategyRole;
import org.refusalscope.core.registry.StrategyDescriptor;
import org.refusalscope.core.registry.StrategyRegistry;

import jakarta.annotation.PostConstruct;

/** Lists the registered strategies of every role, as {@code ./refusalscope strategies} does. */
public class StrategiesPart {

	@PostConstruct
	public void createControls(Composite parent) {
		parent.setLayout(new FillLayout());
		Tree tree = new Tree(parent, SWT.BORDER | SWT.FULL_SELECTION);
		tree.setHeaderVisible(true);
		for(String title : new String[]{"Role / id", "Description", "Bundle"}) {
			TreeColumn column = new TreeColumn(tree, SWT.LEFT);
			column.setText(title);
			column.setWidth(title.equals("Description") ? 800 : 260);
		}
		StrategyRegistry registry = registry();
		if(registry == null) {
			return;
		}
		for(Map.Entry<StrategyRole, List<StrategyDescriptor>> entry : registry.describeAll().entrySet()) {
			TreeItem roleItem = new TreeItem(tree, SWT.NONE);
			roleItem.setText(0, entry.getKey().id());
			for(StrategyDescriptor descriptor : entry.getValue()) {
				TreeItem item = new TreeItem(roleItem, SWT.NONE);
				item.setText(new String[]{descriptor.id(), descriptor.description(), descriptor.bundle()});
			}
			roleItem.setExpanded(true);
		}
	}

	private StrategyRegistry registry() {
		BundleContext context = FrameworkUtil.getBundle(getClass()).getBundleContext();
		ServiceReference<StrategyRegistry> reference = context.getServiceReference(StrategyRegistry.class);
		return reference == null ? null : context.getService(reference);
	}
}
