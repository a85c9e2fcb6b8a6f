/**
 * Host discovery for remote inspection (issue 7): aliases from the user's ssh
 * config and hosts from Ansible inventories. Text in, host lists out; reading
 * the files (and resolving `Include`) is the caller's job.
 */
export { parseSshConfigHosts, hostTokenProblem, MAX_SSH_CONFIG_LINE, type SshHostAlias, type SshConfigHosts } from './sshConfig.js';
export {
  parseAnsibleInventory,
  detectInventoryFormat,
  MAX_RANGE_HOSTS,
  MAX_INVENTORY_HOSTS,
  MAX_INVENTORY_GROUPS,
  MAX_INVENTORY_LINE,
  type InventoryHost,
  type InventoryProblem,
  type AnsibleInventory,
  type InventoryFormat,
} from './ansibleInventory.js';
