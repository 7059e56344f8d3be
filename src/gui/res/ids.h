/* Resource IDs of exhv-gui: strings (one table per language), controls,
 * commands, the icon. Shared by the .rc and the C code. */
#ifndef EXHV_GUI_IDS_H
#define EXHV_GUI_IDS_H

#define IDI_EXHV 1
#define IDR_ACCEL 1

/* Commands (menus, accelerators, buttons). */
#define IDC_PAGE_FIRST 100 /* 100..104: the pages, in navigation order */
#define IDC_REFRESH 110
#define IDC_NAV 111
#define IDC_STATUSBAR 112
#define IDC_LIST 113
#define IDC_LIST2 114
#define IDC_DETAILS 115
#define IDC_MOVE 116
#define IDC_RECOVER 117
#define IDC_POLICY 118
#define IDC_GPU_ADD 119
#define IDC_GPU_REMOVE 120
#define IDC_THEME_FOLLOW 121
#define IDC_THEME_LIGHT 122
#define IDC_THEME_DARK 123
#define IDC_LANG_EN 124
#define IDC_LANG_ZH 125
#define IDC_RUN 126
#define IDC_STOP 127
#define IDC_COPY 128
#define IDC_CLOSE 129
#define IDC_GPU_PICK 130
#define IDC_SHARE 131
#define IDC_SHARE_SPIN 132
#define IDC_OPTION 133
#define IDC_FOCUS_NAV 134
#define IDC_TITLE 135
#define IDC_GPU_DRIVERS 136
#define IDC_IMPORT_DRIVERS 137
#define IDC_MOVE_FIRST 200 /* 200: host, 201.. the VMs in snapshot order */

/* Strings. Each language has the same IDs (res/strings_*.rc). */
#define IDS_APP_NAME 1
#define IDS_TAGLINE 2
#define IDS_PAGE_HOME 3
#define IDS_PAGE_STATUS 4
#define IDS_PAGE_DDA 5
#define IDS_PAGE_GPU 6
#define IDS_PAGE_SETTINGS 7
#define IDS_CONNECTED 8          /* "Connected to %s" */
#define IDS_SIMULATED 9          /* "simulated host" */
#define IDS_NO_HYPERV 10         /* "Hyper-V is not available: %s" */
#define IDS_NOT_CONNECTED 11     /* "Not connected: %s" */
#define IDS_SYSTEM 12
#define IDS_APP 13
#define IDS_HOST_NAME 14
#define IDS_OS 15
#define IDS_ARCH 16
#define IDS_CPU 17
#define IDS_MEMORY 18
#define IDS_GPUS 19
#define IDS_VERSION 20
#define IDS_BUILD_DATE 21
#define IDS_CONNECTION 22
#define IDS_COMPAT 23
#define IDS_SETTINGS 24
#define IDS_PASS 25
#define IDS_WARN 26
#define IDS_FAIL 27
#define IDS_POLICY_TOGGLE 28     /* "Relax the DDA security policy" */
#define IDS_POLICY_ON 29         /* "Relaxed: ..." */
#define IDS_POLICY_OFF 30        /* "Default: ..." */
#define IDS_DDA_WARNING 31
#define IDS_DEVICES 32
#define IDS_REFRESH 33
#define IDS_MOVE_TO 34
#define IDS_RECOVER 35
#define IDS_COL_NAME 36
#define IDS_COL_STATE 37
#define IDS_COL_CLASS 38
#define IDS_COL_LOCATION 39
#define IDS_STATE_HOST 40
#define IDS_STATE_DISMOUNTED 41
#define IDS_STATE_ASSIGNED 42    /* "VM %s" */
#define IDS_STATE_MISSING 43     /* "Missing (VM %s)" */
#define IDS_STATE_DISABLED 44
#define IDS_D_CLASS 45
#define IDS_D_INSTANCE 46
#define IDS_D_LOCATION 47
#define IDS_D_VERDICT 48
#define IDS_D_MMIO 49
#define IDS_V_ASSIGNABLE 50
#define IDS_V_WARN 51
#define IDS_V_NOT 52
#define IDS_HOST 53
#define IDS_THEME 54
#define IDS_THEME_FOLLOW 55
#define IDS_THEME_LIGHT 56
#define IDS_THEME_DARK 57
#define IDS_LANGUAGE 58
#define IDS_ABOUT 59
#define IDS_ABOUT_TEXT 60
#define IDS_CONFIRM_TITLE 61
#define IDS_RUN 62
#define IDS_CANCEL 63
#define IDS_STOP 64
#define IDS_CLOSE 65
#define IDS_COPY_PS 66
#define IDS_COL_STEP 67
#define IDS_COL_WHY 68
#define IDS_COL_PROGRESS 69
#define IDS_ST_PENDING 70
#define IDS_ST_RUNNING 71
#define IDS_ST_DONE 72
#define IDS_ST_FAILED 73
#define IDS_ST_UNDOING 74
#define IDS_ST_UNDONE 75
#define IDS_ST_UNDO_FAILED 76
#define IDS_ST_SKIPPED 77
#define IDS_R_DONE 78
#define IDS_R_ROLLED_BACK 79
#define IDS_R_INCOMPLETE 80
#define IDS_R_NOT_RUN 81
#define IDS_R_INTERRUPTED 82
#define IDS_RUNNING 83
#define IDS_STOPPING 84
#define IDS_NOTHING_TO_DO 85
#define IDS_CANNOT_PLAN 86
#define IDS_NO_UNDO 87           /* "Cannot be undone: %s" */
#define IDS_WARNINGS 88
#define IDS_GPUS_HOST 89
#define IDS_VMS 90
#define IDS_COL_VENDOR 91
#define IDS_COL_VRAM 92
#define IDS_COL_PARTITIONABLE 93
#define IDS_COL_DRIVER 94
#define IDS_COL_WDDM 95
#define IDS_COL_VM 96
#define IDS_COL_ADAPTERS 97
#define IDS_YES 98
#define IDS_NO 99
#define IDS_GPU_ADD 100
#define IDS_GPU_REMOVE 101
#define IDS_PICK_GPU 102
#define IDS_SHARE 103
#define IDS_SHARE_HINT 104
#define IDS_OK 105
#define IDS_NONE 106
#define IDS_STALE 107
#define IDS_HYPERV_CHOICE 108
#define IDS_VM_STATE 109
#define IDS_SELECT_DEVICE 110
#define IDS_SELECT_VM 111
#define IDS_COPIED 112
#define IDS_NO_DEVICES 113
#define IDS_RESULT_TITLE 114
#define IDS_PROGRESS_TITLE 115
#define IDS_LEFT_HALF_DONE 116
#define IDS_MMIO_NONE 117
#define IDS_STOP_VM 118
#define IDS_DISABLED 119
#define IDS_ADAPTER_FOR 120      /* "GPU partition: %s" */
#define IDS_STUCK_NOTE 121
#define IDS_ELEVATION 122
#define IDS_MMIO_FMT 123         /* "low %s MB, high %s MB" */
#define IDS_VMST_OFF 124         /* 124..130: exhv_vm_state in order */
#define IDS_VMST_RUNNING 125
#define IDS_VMST_SAVED 126
#define IDS_VMST_PAUSED 127
#define IDS_VMST_STARTING 128
#define IDS_VMST_STOPPING 129
#define IDS_VMST_OTHER 130
/* The compatibility checks' sentences, per check and case. */
#define IDS_CK_DDA_OK 131
#define IDS_CK_DDA_OLD 132
#define IDS_CK_GPUPV_OK 133
#define IDS_CK_GPUPV_NOCHOOSE 134
#define IDS_CK_GPUPV_2022 135
#define IDS_CK_GPUPV_OLD 136
#define IDS_CK_WDDM_HOST 137
#define IDS_CK_WDDM_OLD 138
#define IDS_CK_CPU_HV 139
#define IDS_CK_CPU_FW 140
#define IDS_CK_CPU_OFF 141
#define IDS_CK_HV_OK 142
#define IDS_CK_HV_NO 143
#define IDS_CK_ADMIN_OK 144
#define IDS_CK_ADMIN_NO 145
#define IDS_CK_SKU_SERVER 146
#define IDS_CK_SKU_CLIENT 147
#define IDS_CK_POL_RELAXED 148
#define IDS_CK_POL_PARTLY 149
#define IDS_CK_POL_DEFAULT_SERVER 150
#define IDS_CK_POL_DEFAULT 151
#define IDS_CK_GPU_NOLEVEL 152
#define IDS_CK_GPU_OLD 153
#define IDS_CK_GPU_NEWER 154
#define IDS_CK_GPU_OK 155
#define IDS_CK_GPUPV_OLDBUILD 156
#define IDS_CK_GPUPV_ANY 157
#define IDS_CK_GPUPV_NONE 158
#define IDS_CK_DISABLED 159
#define IDS_WDDM_17134 160
#define IDS_WDDM_17763 161
#define IDS_WDDM_18362 162
#define IDS_WDDM_19041 163
#define IDS_WDDM_20348 164
#define IDS_WDDM_22000 165
#define IDS_WDDM_22621 166
#define IDS_WDDM_26100 167
#define IDS_READING 168          /* the status line while a snapshot is taken */
#define IDS_PLANNING 169         /* the operation window while it plans */
#define IDS_COL_GUEST_DRIVERS 170
#define IDS_GDRV_NONE 171
#define IDS_GDRV_CURRENT 172
#define IDS_GDRV_STALE 173
#define IDS_GDRV_GPU_MISSING 174
#define IDS_GDRV_UNKNOWN 175
#define IDS_GDRV_MALFORMED 176
#define IDS_D_PARTITION_PATH 177
#define IDS_D_PARTITIONS 178
#define IDS_D_PART_FMT 179
#define IDS_D_RES_FMT 180
#define IDS_RES_VRAM 181
#define IDS_RES_ENCODE 182
#define IDS_RES_DECODE 183
#define IDS_RES_COMPUTE 184
#define IDS_D_ADAPTER 185
#define IDS_D_ADAPTER_GPU 186
#define IDS_D_VALUES_FMT 187
#define IDS_D_VALUES 188
#define IDS_D_VALUES_DEFAULT 189
#define IDS_D_PACKAGES 190
#define IDS_D_SELECT_GPU 191
#define IDS_GPU_DRIVERS 192
#define IDS_GDRV_S_CURRENT 193
#define IDS_GDRV_S_STALE 194
#define IDS_GDRV_S_GPU_MISSING 195
#define IDS_GDRV_S_UNKNOWN 196
#define IDS_GDRV_S_MALFORMED 197
#define IDS_DRV_UP_TO_DATE 198
#define IDS_DRV_COPIED 199
#define IDS_DRV_PRUNED 200
#define IDS_DRV_KEPT 201
#define IDS_IMPORT_DRIVERS 202
#define IDS__COUNT 203

#endif
