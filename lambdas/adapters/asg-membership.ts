/** GroupMembership on Auto Scaling: DescribeAutoScalingInstances, then the group's InService count. */
import {
  type AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeAutoScalingInstancesCommand,
} from '@aws-sdk/client-auto-scaling';
import type { GroupMembership } from '../core/remediation/engine-ports';

/** Finds an instance's group and how many of its instances are in service. */
export class AutoScalingMembership implements GroupMembership {
  constructor(private readonly client: AutoScalingClient) {}

  async groupOf(instanceId: string): Promise<{ name: string; instancesInService: number } | undefined> {
    const res = await this.client.send(
      new DescribeAutoScalingInstancesCommand({ InstanceIds: [instanceId] }),
    );
    const name = res.AutoScalingInstances?.[0]?.AutoScalingGroupName;
    if (name === undefined) return undefined;
    const groups = await this.client.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }),
    );
    const instances = groups.AutoScalingGroups?.[0]?.Instances ?? [];
    return { name, instancesInService: instances.filter((i) => i.LifecycleState === 'InService').length };
  }
}
